import 'reflect-metadata';
import { definePlugin, PROVIDER_TOKEN, type ProvisioningPlugin } from '@provisio/core';
import { Lifecycle } from 'tsyringe';
import { tencentConfigSchema } from './config.js';
import { TencentProvider } from './provider.js';
import { tencentSimulatorHook } from './simulator/hook.js';

export const tencentPlugin: ProvisioningPlugin = definePlugin({
  name: '@provisio/provider-tencent',
  version: '0.1.0',
  providerId: 'tencent',
  coreApi: '^1.0.0',
  configSchema: tencentConfigSchema,
  register(container) {
    container.register(PROVIDER_TOKEN, { useClass: TencentProvider }, { lifecycle: Lifecycle.ContainerScoped });
  },
  simulator: tencentSimulatorHook,
});
