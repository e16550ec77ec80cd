import type { DependencyContainer } from 'tsyringe';
import type { Coordination, CoordinationSetting } from '../coordination/coordination.js';
import { InProcessCoordination } from '../coordination/in-process.js';
import { loadCoordination } from '../coordination/load-coordination.js';
import type { ProviderCapabilities } from '../contract/capabilities.js';
import type { ProvisioningProvider } from '../contract/provider.js';
import { invalidInput } from '../errors/invalid-input.js';
import { ProvisioningError } from '../errors/provisioning-error.js';
import { Redactor } from '../errors/redactor.js';
import type { HttpLogEvent } from '../http/http-client.js';
import { capabilitiesSchema } from '../validation/schemas.js';
import { assertValid } from '../validation/validator.js';
import { checkPlugin, loadPlugin, loadReflectPolyfill } from './plugin-loader.js';
import { INSTANCE_CONTEXT, PROVIDER_TOKEN, type InstanceContext, type ProvisioningPlugin } from './plugin.js';
import { collectSecrets } from './secret-fields.js';

/** One configured instance: which plugin (package name or imported object) and its config. */
export interface InstanceConfig {
  plugin: string | ProvisioningPlugin;
  config: unknown;
}

/** Instance names mapped to their plugin and config; or a list with explicit names. */
export interface ProvisionerConfig {
  instances: Record<string, InstanceConfig> | Array<InstanceConfig & { name: string }>;
  /** Shared token and budget across processes: `{ "redis": "redis://…" }` (needs @provisio/redis). */
  coordination?: CoordinationSetting;
}

export interface ProvisionerOptions {
  /** Where plugin packages are resolved from (first match wins). Default: the current directory. */
  resolveFrom?: string | string[];
  /** Parent container (default: tsyringe's root). Each instance gets its own child. */
  container?: DependencyContainer;
  logger?: (event: HttpLogEvent) => void;
  /**
   * What instances share per cloud application (token, flow-control budget): a Coordination
   * (the caller closes it) or `{ redis: url }`. Overrides the config's `coordination`. Default:
   * in-process (instances of one app in this Provisioner share; nothing to install).
   */
  coordination?: CoordinationSetting;
}

export interface InstanceInfo {
  name: string;
  plugin: string;
  pluginVersion: string;
  providerId: string;
  capabilities: ProviderCapabilities;
}

interface LiveInstance {
  info: InstanceInfo;
  provider: ProvisioningProvider;
  container: DependencyContainer;
}

function configError(message: string, field: string, rule: string): ProvisioningError {
  return invalidInput({ message, field, rule });
}

const instanceName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * The application's entry point: builds one provider instance per configured name, each in
 * its own child container (so two accounts on one cloud coexist), and hands them out by name.
 */
export class Provisioner {
  private constructor(
    private readonly live: Map<string, LiveInstance>,
    /** The coordination this Provisioner made (and closes); undefined when the caller passed one. */
    private readonly ownCoordination: Coordination | undefined,
    /** What the instances share per cloud application. */
    readonly coordination: Coordination,
  ) {}

  /** Instance names and plugins only: the configs hold secrets. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Provisioner { ${this.list().map((i) => `${i.name}: ${i.plugin}`).join(', ')} }`;
  }

  static async create(config: ProvisionerConfig, options: ProvisionerOptions = {}): Promise<Provisioner> {
    // tsyringe (36 files with tslib) and its Reflect polyfill are loaded when a provisioner is
    // built, not when core is imported.
    await loadReflectPolyfill();
    const container = options.container ?? (await import('tsyringe')).container;
    const entries = normaliseInstances(config);
    const live = new Map<string, LiveInstance>();
    const setting = options.coordination ?? config.coordination;
    // An unreachable Redis fails here (UNAVAILABLE), before any instance exists.
    const coordination = setting ? await loadCoordination(setting, options.resolveFrom) : new InProcessCoordination();
    const own = setting && coordination === setting ? undefined : coordination;
    try {
      for (const [name, entry] of entries) {
        const plugin =
          typeof entry.plugin === 'string'
            ? await loadPlugin(entry.plugin, options.resolveFrom)
            : checkPlugin(entry.plugin, `instances.${name}.plugin`);
        live.set(name, buildInstance(name, plugin, entry.config, options, coordination, container));
      }
    } catch (error) {
      await Promise.allSettled([...live.values()].map((instance) => instance.provider.close()));
      await own?.close();
      throw error;
    }
    return new Provisioner(live, own, coordination);
  }

  /** The provider instance with this name; NOT_FOUND names the ones that exist. */
  get(name: string): ProvisioningProvider {
    const instance = this.live.get(name);
    if (!instance) {
      throw new ProvisioningError({
        code: 'NOT_FOUND',
        message: `No provider instance named "${name}"; configured: ${[...this.live.keys()].join(', ') || '(none)'}`,
        retryable: false,
      });
    }
    return instance.provider;
  }

  has(name: string): boolean {
    return this.live.has(name);
  }

  /** Every instance with its plugin and capabilities. */
  list(): InstanceInfo[] {
    return [...this.live.values()].map((instance) => instance.info);
  }

  /** Iterates over [name, provider] pairs. */
  *[Symbol.iterator](): IterableIterator<[string, ProvisioningProvider]> {
    for (const [name, instance] of this.live) yield [name, instance.provider];
  }

  /** Closes every instance (sockets, timers) and disposes their containers. */
  async close(): Promise<void> {
    const instances = [...this.live.values()];
    this.live.clear();
    await Promise.allSettled(instances.map((instance) => instance.provider.close()));
    await Promise.allSettled(instances.map((instance) => instance.container.dispose()));
    await this.ownCoordination?.close();
  }
}

function normaliseInstances(config: ProvisionerConfig): Array<[string, InstanceConfig]> {
  if (!config || typeof config !== 'object' || !config.instances || typeof config.instances !== 'object') {
    throw configError('Configuration must have an "instances" object mapping names to {plugin, config}', 'instances', 'required');
  }
  const list: Array<[string, InstanceConfig]> = Array.isArray(config.instances)
    ? config.instances.map((entry, index) => {
        if (!entry || typeof entry.name !== 'string') {
          throw configError(`instances[${index}] needs a "name"`, `instances.${index}.name`, 'required');
        }
        return [entry.name, entry];
      })
    : Object.entries(config.instances);
  const seen = new Set<string>();
  for (const [name, entry] of list) {
    if (seen.has(name)) throw configError(`Duplicate instance name "${name}"`, `instances.${name}`, 'unique');
    seen.add(name);
    if (!instanceName.test(name)) {
      throw configError(
        `Instance name "${name}" must be 1-64 letters, digits, "_", "." or "-"`,
        `instances.${name}`,
        'pattern',
      );
    }
    if (!entry || (typeof entry.plugin !== 'string' && typeof entry.plugin !== 'object')) {
      throw configError(
        `instances.${name}.plugin must be a package name or a plugin object`,
        `instances.${name}.plugin`,
        'required',
      );
    }
  }
  return list;
}

function buildInstance(
  name: string,
  plugin: ProvisioningPlugin,
  rawConfig: unknown,
  options: ProvisionerOptions,
  coordination: Coordination,
  container: DependencyContainer,
): LiveInstance {
  const config = assertValid(plugin.configSchema, rawConfig ?? {}, { provider: plugin.providerId, subject: `instances.${name}.config` });
  const redactor = new Redactor(collectSecrets(plugin.configSchema, config));
  const context: InstanceContext = { name, config, redactor, logger: options.logger, coordination };
  const child = container.createChildContainer();
  child.register(INSTANCE_CONTEXT, { useValue: context });
  plugin.register(child);
  if (!child.isRegistered(PROVIDER_TOKEN)) {
    throw configError(
      `Plugin "${plugin.name}" did not register a provider (PROVIDER_TOKEN) in its container`,
      `instances.${name}.plugin`,
      'plugin',
    );
  }
  const provider = child.resolve<ProvisioningProvider>(PROVIDER_TOKEN);
  const capabilities = assertValid<ProviderCapabilities>(capabilitiesSchema, provider.capabilities, {
    provider: plugin.providerId,
    subject: `${plugin.name} capabilities`,
  });
  return {
    provider,
    container: child,
    info: { name, plugin: plugin.name, pluginVersion: plugin.version, providerId: plugin.providerId, capabilities },
  };
}
