import { simulatorClientRetry, type ConfigOverrides, type Registration, type RunningSimulator, type SimulatorHook } from '@provisio/core';
import type { TencentConfig } from '../config.js';
import { TencentSimulator } from './simulator.js';

function deviceName(registration: Registration): string {
  return registration.deviceId.split('/')[1] ?? registration.nodeId;
}

/** Starts a Tencent simulator (one PSK product, one key pair) and configures an instance for it. */
export const tencentSimulatorHook: SimulatorHook = {
  async start(options = {}): Promise<RunningSimulator> {
    // The Cloud API's flow control when one is asked for (`provisio simulate --rate-limit`), as the
    // client config below mirrors it; none by default.
    const simulator = await TencentSimulator.start({ host: options.host, port: options.port, flowControl: options.rateLimit ?? false });
    const product = simulator.products[0] as { productId: string; productSecret: string };
    const key = simulator.keys[0] as { secretId: string; secretKey: string };
    return {
      url: simulator.url,
      instanceConfig(overrides: ConfigOverrides = {}): Record<string, unknown> {
        const wrong = overrides.invalidCredentials ? 'wrong-' : '';
        const config: TencentConfig = {
          productId: product.productId,
          productSecret: `${wrong}${product.productSecret}`,
          gatewayUrl: simulator.url,
          cloudApi: { secretId: key.secretId, secretKey: `${wrong}${key.secretKey}`, endpoint: simulator.url },
          ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
          retry: simulatorClientRetry(overrides),
        };
        if (overrides.allowDestructiveRekey) config.rekey = { recreateActivatedDevices: true };
        if (overrides.timeoutMs !== undefined) config.timeoutMs = overrides.timeoutMs;
        return config as unknown as Record<string, unknown>;
      },
      deviceSide: 'POST /__sim/device-connect {"productId","deviceName","psk"}; POST /__sim/devices/{productId}/{deviceName}/connect|disconnect',
      secrets: () => [product.productSecret, key.secretKey],
      backend: {
        async connect(registration, credentials) {
          const name = deviceName(registration);
          if (credentials.kind === 'psk') simulator.connectWithPsk(product.productId, name, credentials.psk);
          else if (credentials.kind === 'x509' && simulator.device(product.productId, name)?.cert === credentials.certificate) {
            simulator.connect(product.productId, name);
          } else throw new Error(`the device ${registration.deviceId} was refused with these ${credentials.kind} credentials`);
        },
        async disconnect(registration) {
          simulator.disconnect(product.productId, deviceName(registration));
        },
        ...simulator.faultControls(),
      },
      stop: () => simulator.stop(),
    };
  },
};
