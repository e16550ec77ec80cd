import { simulatorClientRetry, type ConfigOverrides, type RunningSimulator, type SimulatorHook, type TlsOptions } from '@provisio/core';
import { loadOrCreatePki, type PkiFiles } from '@provisio/core/simulator';
import type { HuaweiConfig } from '../config.js';
import { join } from 'node:path';
import { HuaweiSimulator } from './simulator.js';

/** Flow control of the ready-made simulator: brisk enough for demos and the conformance suite. */
const RATE = { limit: 50, intervalMs: 1000 };

/** Starts a Huawei simulator and says how to configure an instance and drive its devices. */
export const huaweiSimulatorHook: SimulatorHook = {
  // OceanConnect's northbound API is HTTPS with mutual TLS only.
  servesTls: true,
  async start(options = {}): Promise<RunningSimulator> {
    const rate = options.rateLimit === undefined ? RATE : options.rateLimit;
    // TLS mode, as the real platform (HTTPS only): the CA, server and client certificates on disk.
    let files: PkiFiles | undefined;
    let tls: TlsOptions | undefined;
    let simTls;
    if (options.tls) {
      const loaded = await loadOrCreatePki(options.tls.dir);
      files = loaded.files;
      simTls = {
        key: loaded.pki.serverKey,
        cert: loaded.pki.serverCert,
        ca: loaded.pki.caCert,
        requestCert: true,
        rejectUnauthorized: options.tls.requireClientCert ?? true,
      };
      tls = { caFile: files.caCert, pfxFile: files.clientPfx, passphrase: files.pfxPassphrase };
    }
    const simulator = await HuaweiSimulator.start({
      host: options.host,
      port: options.port,
      flowControl: rate,
      tls: simTls,
    });
    const app = simulator.apps[0] as { appId: string; secret: string };
    return {
      url: simulator.url,
      instanceConfig(overrides: ConfigOverrides = {}): Record<string, unknown> {
        const config: HuaweiConfig = {
          baseUrl: simulator.url,
          appId: app.appId,
          secret: overrides.invalidCredentials ? `wrong-${app.secret}` : app.secret,
          rateLimit: rate,
          ...(tls ? { tls } : {}),
          retry: simulatorClientRetry(overrides),
        };
        if (overrides.timeoutMs !== undefined) config.timeoutMs = overrides.timeoutMs;
        return config as unknown as Record<string, unknown>;
      },
      deviceSide: 'POST /__sim/device-login {"nodeId","verifyCode"} or {"nodeId","secret"}; POST /__sim/devices/{deviceId}/connect|disconnect',
      secrets: () => [app.secret, ...(files ? [files.pfxPassphrase] : [])],
      files: files
        ? { ca: files.caCert, clientCert: files.clientCert, clientKey: files.clientKey, clientPkcs12: files.clientPfx, pkcs12Passphrase: join(files.dir, 'client.p12.passphrase') }
        : undefined,
      backend: {
        async connect(registration, credentials) {
          if (credentials.kind === 'verification-code') simulator.connectWithCode(registration.nodeId, credentials.verifyCode);
          else if (credentials.kind === 'psk') simulator.connectWithSecret(registration.nodeId, credentials.psk);
          else throw new Error(`a Huawei device cannot connect with ${credentials.kind} credentials`);
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
