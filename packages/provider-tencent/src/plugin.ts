import { providerPlugin } from '@provisio/core';
import { tencentConfigSchema, type TencentConfig } from './config.js';
import { TencentProvider } from './provider.js';
import { tencentSimulatorHook } from './simulator/hook.js';

export const tencentPlugin = providerPlugin<TencentConfig>({
  packageJson: new URL('../../package.json', import.meta.url),
  providerId: 'tencent',
  coreApi: '^1.0.0',
  configSchema: tencentConfigSchema,
  provider: TencentProvider,
  simulator: tencentSimulatorHook,
});
