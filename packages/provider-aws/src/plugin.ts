import { providerPlugin } from '@provisio/core';
import { awsConfigSchema, type AwsConfig } from './config.js';
import { AwsProvider } from './provider.js';
import { awsSimulatorHook } from './simulator/hook.js';

export const awsPlugin = providerPlugin<AwsConfig>({
  packageJson: new URL('../../package.json', import.meta.url),
  providerId: 'aws',
  coreApi: '^1.0.0',
  configSchema: awsConfigSchema,
  provider: AwsProvider,
  simulator: awsSimulatorHook,
});
