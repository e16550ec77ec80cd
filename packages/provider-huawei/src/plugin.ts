import { definePlugin, PROVIDER_TOKEN, readPackageInfo, type ProvisioningPlugin } from '@provisio/core';
import { Lifecycle } from 'tsyringe';
import { huaweiConfigSchema } from './config.js';
import { HuaweiProvider } from './provider.js';
import { huaweiSimulatorHook } from './simulator/hook.js';

const pkg = readPackageInfo(new URL('../../package.json', import.meta.url));

export const huaweiPlugin: ProvisioningPlugin = definePlugin({
  name: pkg.name,
  version: pkg.version,
  providerId: 'huawei',
  coreApi: '^1.0.0',
  configSchema: huaweiConfigSchema,
  register(container) {
    // Container-scoped, never @singleton: each instance's child container gets its own provider.
    container.register(PROVIDER_TOKEN, { useClass: HuaweiProvider }, { lifecycle: Lifecycle.ContainerScoped });
  },
  simulator: huaweiSimulatorHook,
});
