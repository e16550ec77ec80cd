import { simulatorClientRetry, type ConfigOverrides, type RunningSimulator, type SimulatorHook } from '@provisio/core';
import type { AwsApi } from '../commands/apis.js';
import { DEFAULT_API_TPS, type AwsConfig } from '../config.js';
import { AwsSimulator } from './simulator.js';

/**
 * Flow control of the ready-made simulator: ten times AWS's default per-API limits, brisk enough
 * for the demo and the conformance suite (100 parallel registrations); the instance config mirrors it.
 */
export const SIMULATOR_API_TPS: Readonly<Record<AwsApi, number>> = Object.fromEntries(
  Object.entries(DEFAULT_API_TPS).map(([api, tps]) => [api, tps * 10]),
) as Record<AwsApi, number>;

/** Starts an AWS IoT simulator (one access key, one policy) and configures an instance for it. */
export const awsSimulatorHook: SimulatorHook = {
  async start(options = {}): Promise<RunningSimulator> {
    // `rateLimit` from the CLI (simulate --rate-limit): the same budget for every API; false: none.
    const apiTps: Record<string, number> | false =
      options.rateLimit === false
        ? false
        : options.rateLimit
          ? Object.fromEntries(Object.keys(DEFAULT_API_TPS).map((api) => [api, (options.rateLimit as { limit: number; intervalMs: number }).limit * (1000 / (options.rateLimit as { intervalMs: number }).intervalMs)]))
          : { ...SIMULATOR_API_TPS };
    const simulator = await AwsSimulator.start({ host: options.host, port: options.port, apiTps });
    const key = simulator.keys[0] as { accessKeyId: string; secretAccessKey: string };
    const policyName = [...simulator.policies][0] as string;
    return {
      url: simulator.url,
      instanceConfig(overrides: ConfigOverrides = {}): Record<string, unknown> {
        const config: AwsConfig = {
          region: simulator.region,
          endpoint: simulator.url,
          credentials: { accessKeyId: key.accessKeyId, secretAccessKey: `${overrides.invalidCredentials ? 'wrong-' : ''}${key.secretAccessKey}` },
          policyName,
          apiRateLimits: apiTps,
          retry: simulatorClientRetry(overrides),
        };
        if (overrides.timeoutMs !== undefined) config.timeoutMs = overrides.timeoutMs;
        return config as unknown as Record<string, unknown>;
      },
      deviceSide: 'POST /__sim/devices/{thingName}/connect {"certificatePem","privateKeyPem"?}; POST /__sim/devices/{thingName}/disconnect',
      secrets: () => [key.secretAccessKey],
      backend: {
        async connect(registration, credentials) {
          if (credentials.kind !== 'x509') throw new Error(`AWS devices connect with X.509 certificates, not ${credentials.kind}`);
          try {
            simulator.connect(registration.deviceId, credentials.certificate, credentials.privateKey);
          } catch (error) {
            throw new Error(`the device ${registration.deviceId} was refused: ${(error as Error).message}`);
          }
        },
        async disconnect(registration) {
          simulator.disconnect(registration.deviceId);
        },
        ...simulator.faultControls(),
      },
      stop: () => simulator.stop(),
    };
  },
};
