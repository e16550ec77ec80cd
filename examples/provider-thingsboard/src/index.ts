import { clientConfigProperties, providerPlugin } from '@provisio/core';
import { ThingsboardProvider, type ThingsboardConfig } from './thingsboard-provider.js';
import { thingsboardSimulatorHook } from './thingsboard-simulator.js';

export { ThingsboardProvider, type ThingsboardConfig } from './thingsboard-provider.js';
export { ThingsboardSimulator, thingsboardSimulatorHook } from './thingsboard-simulator.js';

/** The plugin manifest, found by `import('provisio-provider-thingsboard')`. */
export default providerPlugin<ThingsboardConfig>({
  packageJson: new URL('../../package.json', import.meta.url),
  providerId: 'thingsboard',
  coreApi: '^1.0.0',
  configSchema: {
    type: 'object',
    required: ['baseUrl', 'username', 'password'],
    properties: {
      baseUrl: { type: 'string', pattern: '^https?://' },
      username: { type: 'string', minLength: 1 },
      password: { type: 'string', minLength: 1, writeOnly: true },
      deviceType: { type: 'string', minLength: 1 },
      ...clientConfigProperties,
    },
    additionalProperties: false,
  },
  provider: ThingsboardProvider,
  simulator: thingsboardSimulatorHook,
});
