import { INSTANCE_CONTEXT, PROVIDER_TOKEN, type InstanceContext, type ProvisioningPlugin } from '@provisio/core';
import { ThingsboardProvider, type ThingsboardConfig } from './thingsboard-provider.js';
import { thingsboardSimulatorHook } from './thingsboard-simulator.js';

export { ThingsboardProvider, type ThingsboardConfig } from './thingsboard-provider.js';
export { ThingsboardSimulator, thingsboardSimulatorHook } from './thingsboard-simulator.js';

/** The plugin manifest, found by `import('provisio-provider-thingsboard')`. */
const plugin: ProvisioningPlugin = {
  name: 'provisio-provider-thingsboard',
  version: '0.1.0',
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
      timeoutMs: { type: 'integer', minimum: 1 },
      retry: { type: 'object' },
    },
    additionalProperties: false,
  },
  register(container) {
    container.register(PROVIDER_TOKEN, {
      useFactory: (c) => new ThingsboardProvider(c.resolve<InstanceContext<ThingsboardConfig>>(INSTANCE_CONTEXT)),
    });
  },
  simulator: thingsboardSimulatorHook,
};

export default plugin;
