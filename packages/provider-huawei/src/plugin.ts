import { providerPlugin } from '@provisio/core';
import { huaweiConfigSchema, type HuaweiConfig } from './config.js';
import { HuaweiProvider } from './provider.js';
import { huaweiSimulatorHook } from './simulator/hook.js';

export const huaweiPlugin = providerPlugin<HuaweiConfig>({
  packageJson: new URL('../../package.json', import.meta.url),
  providerId: 'huawei',
  coreApi: '^1.0.0',
  configSchema: huaweiConfigSchema,
  provider: HuaweiProvider,
  simulator: huaweiSimulatorHook,
});
