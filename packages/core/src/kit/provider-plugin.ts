import type { ProvisioningProvider } from '../contract/provider.js';
import type { JsonSchema } from '../validation/validator.js';
import { definePlugin, INSTANCE_CONTEXT, PROVIDER_TOKEN, type InstanceContext, type ProvisioningPlugin } from '../plugins/plugin.js';
import type { SimulatorHook } from '../plugins/simulator-hook.js';
import { readPackageInfo } from './package-info.js';

export interface ProviderPluginOptions<Config> {
  /** The plugin's package.json (`new URL('../../package.json', import.meta.url)`): its name and version are read there. */
  packageJson: URL;
  /** The provider id its instances report. */
  providerId: string;
  /** The range of core contract versions supported (semver), e.g. "^1.0.0". */
  coreApi: string;
  configSchema: JsonSchema;
  /** Built once per instance, with the instance's validated config, redactor and logger. */
  provider: new (context: InstanceContext<Config>) => ProvisioningProvider;
  simulator?: SimulatorHook;
}

/**
 * A provider plugin's manifest: name and version from its package.json (stated once), and one
 * provider per instance, registered in the instance's own child container (never a global
 * singleton, which would leak one instance's configuration into another).
 */
export function providerPlugin<Config>(options: ProviderPluginOptions<Config>): ProvisioningPlugin {
  const { name, version } = readPackageInfo(options.packageJson);
  return definePlugin({
    name,
    version,
    providerId: options.providerId,
    coreApi: options.coreApi,
    configSchema: options.configSchema,
    register(container) {
      let provider: ProvisioningProvider | undefined;
      container.register(PROVIDER_TOKEN, {
        useFactory: (c) => (provider ??= new options.provider(c.resolve<InstanceContext<Config>>(INSTANCE_CONTEXT))),
      });
    },
    ...(options.simulator ? { simulator: options.simulator } : {}),
  });
}
