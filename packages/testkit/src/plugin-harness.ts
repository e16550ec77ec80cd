import {
  collectSecrets,
  loadPlugin,
  Provisioner,
  type ConfigOverrides,
  type JsonSchema,
  type ProvisioningPlugin,
  type RunningSimulator,
} from '@provisio/core';
import type { Harness } from './harness.js';

export interface PluginHarnessOptions {
  /** Name in reports; default the plugin's provider id. */
  name?: string;
  knownFailures?: string[];
  /** Run against a real cloud with this instance config instead of the plugin's simulator. */
  live?: { config: Record<string, unknown> };
  /** Where a plugin given by package name is resolved from. */
  resolveFrom?: string;
  /** Adjusts every instance config (e.g. drop the Cloud API keys to test a narrower manifest). */
  configure?: (config: Record<string, unknown>) => Record<string, unknown>;
}

/** Replaces every `writeOnly` (secret) string of a config with a wrong one. */
function corruptSecrets(schema: JsonSchema | undefined, value: unknown): unknown {
  if (!schema || value === null || value === undefined) return value;
  if (schema.writeOnly === true && typeof value === 'string') return `wrong-${value}`;
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [key, sub] of Object.entries(properties)) if (key in out) out[key] = corruptSecrets(sub, out[key]);
    return out;
  }
  return value;
}

/**
 * A harness built from any plugin: its own simulator (the plugin's `simulator` hook) or,
 * in live mode, a real cloud. Instances are made through the Provisioner, exactly as an
 * application makes them.
 */
export function harnessFromPlugin(source: ProvisioningPlugin | string, options: PluginHarnessOptions = {}): Harness {
  let plugin: ProvisioningPlugin | undefined = typeof source === 'string' ? undefined : source;
  let simulator: RunningSimulator | undefined;
  const provisioners: Provisioner[] = [];
  let instances = 0;

  const configFor = (overrides: ConfigOverrides = {}): Record<string, unknown> => {
    const configure = options.configure ?? ((config: Record<string, unknown>) => config);
    if (simulator) return configure(simulator.instanceConfig(overrides));
    const live = options.live?.config ?? {};
    let config: Record<string, unknown> = { ...live };
    if (overrides.invalidCredentials) config = corruptSecrets(plugin?.configSchema, config) as Record<string, unknown>;
    if (overrides.timeoutMs !== undefined) config.timeoutMs = overrides.timeoutMs;
    if (overrides.maxAttempts !== undefined) config.retry = { ...(config.retry as object), maxAttempts: overrides.maxAttempts };
    return configure(config);
  };

  return {
    name: options.name ?? (typeof source === 'string' ? source : source.providerId),
    knownFailures: options.knownFailures,
    async setup() {
      plugin ??= await loadPlugin(source as string, options.resolveFrom);
      if (options.live) return;
      if (!plugin.simulator) {
        throw new Error(`${plugin.name} offers no simulator: run the suite against a real cloud with --live`);
      }
      simulator = await plugin.simulator.start();
    },
    async teardown() {
      await Promise.allSettled(provisioners.map((p) => p.close()));
      await simulator?.stop();
    },
    async createProvider(overrides) {
      const name = `conformance-${++instances}`;
      const provisioner = await Provisioner.create({ instances: { [name]: { plugin: plugin as ProvisioningPlugin, config: configFor(overrides) } } });
      provisioners.push(provisioner);
      return provisioner.get(name);
    },
    backend: () => simulator?.backend,
    configSchema: () => plugin?.configSchema,
    secrets: () => (simulator ? simulator.secrets() : collectSecrets(plugin?.configSchema, options.live?.config)),
  };
}
