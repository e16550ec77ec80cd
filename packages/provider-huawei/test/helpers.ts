import { Provisioner, type ProvisioningProvider } from '@provisio/core';
import huaweiPlugin, { HuaweiSimulator, type HuaweiConfig, type HuaweiProvider, type HuaweiSimulatorOptions } from '../src/index.js';

export interface Rig {
  simulator: HuaweiSimulator;
  provisioner: Provisioner;
  provider: HuaweiProvider;
  config: HuaweiConfig;
  close(): Promise<void>;
}

/** A simulator and a provisioner with one Huawei instance pointed at it. */
export async function rig(
  simOptions: HuaweiSimulatorOptions = {},
  config: Partial<HuaweiConfig> = {},
): Promise<Rig> {
  // Flow control and client limit off by default: unit tests of one behaviour each (errors, tokens,
  // validation, side effects) must not wait for a 100/min window. Tests about flow control pass
  // `flowControl`/`rateLimit` explicitly; the limits-on lane is packages/cli/test/real-conditions*.
  const simulator = await HuaweiSimulator.start({ flowControl: false, ...simOptions });
  const app = simulator.apps[0]!;
  const full: HuaweiConfig = {
    baseUrl: simulator.url,
    appId: app.appId,
    secret: app.secret,
    rateLimit: false, // why: one behaviour per test, see above
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 50 },
    ...config,
  };
  const provisioner = await Provisioner.create({ instances: { huawei: { plugin: huaweiPlugin, config: full } } });
  return {
    simulator,
    provisioner,
    provider: provisioner.get('huawei') as HuaweiProvider,
    config: full,
    async close() {
      await provisioner.close();
      await simulator.stop();
    },
  };
}

/** Awaits a call that must fail with a ProvisioningError and returns it (the testkit's helper). */
export { expectProvisioningError as failure } from '@provisio/testkit';
export type { ProvisioningProvider };
