import {
  clientConfigProperties, INSTANCE_CONTEXT, PROVIDER_TOKEN, readPackageInfo, type InstanceContext, type ProvisioningPlugin,
} from '@provisio/core';
import { ThingsboardProvider, type ThingsboardConfig } from './thingsboard-provider.js';
import { thingsboardSimulatorHook } from './thingsboard-simulator.js';

export { ThingsboardProvider, type ThingsboardConfig } from './thingsboard-provider.js';
export { ThingsboardSimulator, thingsboardSimulatorHook } from './thingsboard-simulator.js';

const pkg = readPackageInfo(new URL('../../package.json', import.meta.url));

/** The plugin manifest, found by `import('provisio-provider-thingsboard')`. */
const plugin: ProvisioningPlugin = {
  name: pkg.name,
  version: pkg.version,
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
  register(container) {
    container.register(PROVIDER_TOKEN, {
      useFactory: (c) => new ThingsboardProvider(c.resolve<InstanceContext<ThingsboardConfig>>(INSTANCE_CONTEXT)),
    });
  },
  simulator: thingsboardSimulatorHook,
};

export default plugin;
