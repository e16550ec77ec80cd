import { Provisioner } from '@provisio/core';
import tencentPlugin, { TencentSimulator, type TencentConfig, type TencentProvider, type TencentSimulatorOptions } from '../src/index.js';

export interface Rig {
  simulator: TencentSimulator;
  provider: TencentProvider;
  config: TencentConfig;
  provisioner: Provisioner;
  /** Another instance on the same simulator with a config override. */
  with(override: Partial<TencentConfig>): Promise<TencentProvider>;
  close(): Promise<void>;
}

/** Full configuration (productSecret + Cloud API keys) pointed at a simulator. */
export async function rig(simOptions: TencentSimulatorOptions = {}, override: Partial<TencentConfig> = {}): Promise<Rig> {
  const simulator = await TencentSimulator.start(simOptions);
  const product = simulator.products[0]!;
  const key = simulator.keys[0]!;
  const base: TencentConfig = {
    productId: product.productId,
    productSecret: product.productSecret,
    authType: product.authType,
    gatewayUrl: simulator.url,
    cloudApi: { secretId: key.secretId, secretKey: key.secretKey, endpoint: simulator.url },
    // Client limit off by default: these are tests of one behaviour each (signatures, errors, side
    // effects), not of flow control; the limits-on lane is packages/cli/test/real-conditions*.
    rateLimit: false, // why: see above
    retry: { maxAttempts: 2, baseDelayMs: 5 },
  };
  const config = { ...base, ...override };
  const extra: Provisioner[] = [];
  const provisioner = await Provisioner.create({ instances: { tencent: { plugin: tencentPlugin, config } } });
  return {
    simulator,
    config,
    provisioner,
    provider: provisioner.get('tencent') as TencentProvider,
    async with(more) {
      const p = await Provisioner.create({ instances: { other: { plugin: tencentPlugin, config: { ...config, ...more } } } });
      extra.push(p);
      return p.get('other') as TencentProvider;
    },
    async close() {
      await Promise.all([provisioner, ...extra].map((p) => p.close()));
      await simulator.stop();
    },
  };
}

/** Awaits a call that must fail with a ProvisioningError and returns it (the testkit's helper). */
export { expectProvisioningError as failure } from '@provisio/testkit';
