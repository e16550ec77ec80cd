import 'reflect-metadata';
import { definePlugin, PROVIDER_TOKEN, type ProvisioningPlugin } from '@provisio/core';
import { Lifecycle } from 'tsyringe';
import { huaweiConfigSchema } from './config.js';
import { HuaweiProvider } from './provider.js';
import { huaweiSimulatorHook } from './simulator/hook.js';

export const huaweiPlugin: ProvisioningPlugin = definePlugin({
  name: '@provisio/provider-huawei',
  version: '0.1.0',
  providerId: 'huawei',
  coreApi: '^1.0.0',
  configSchema: huaweiConfigSchema,
  register(container) {
    // Container-scoped, never @singleton: each instance's child container gets its own provider.
    container.register(PROVIDER_TOKEN, { useClass: HuaweiProvider }, { lifecycle: Lifecycle.ContainerScoped });
  },
  simulator: huaweiSimulatorHook,
});
