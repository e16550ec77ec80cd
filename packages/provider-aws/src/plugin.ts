import { definePlugin, PROVIDER_TOKEN, readPackageInfo, type ProvisioningPlugin } from '@provisio/core';
import { Lifecycle } from 'tsyringe';
import { awsConfigSchema } from './config.js';
import { AwsProvider } from './provider.js';
import { awsSimulatorHook } from './simulator/hook.js';

const info = readPackageInfo(new URL('../../package.json', import.meta.url));

export const awsPlugin: ProvisioningPlugin = definePlugin({
  name: info.name,
  version: info.version,
  providerId: 'aws',
  coreApi: '^1.0.0',
  configSchema: awsConfigSchema,
  register(container) {
    container.register(PROVIDER_TOKEN, { useClass: AwsProvider }, { lifecycle: Lifecycle.ContainerScoped });
  },
  simulator: awsSimulatorHook,
});
