import { definePlugin, PROVIDER_TOKEN, readPackageInfo, type ProvisioningPlugin } from '@provisio/core';
import { Lifecycle } from 'tsyringe';
import { tencentConfigSchema } from './config.js';
import { TencentProvider } from './provider.js';
import { tencentSimulatorHook } from './simulator/hook.js';

const pkg = readPackageInfo(new URL('../../package.json', import.meta.url));

export const tencentPlugin: ProvisioningPlugin = definePlugin({
  name: pkg.name,
  version: pkg.version,
  providerId: 'tencent',
  coreApi: '^1.0.0',
  configSchema: tencentConfigSchema,
  register(container) {
    container.register(PROVIDER_TOKEN, { useClass: TencentProvider }, { lifecycle: Lifecycle.ContainerScoped });
  },
  simulator: tencentSimulatorHook,
});
