import type { DependencyContainer } from 'tsyringe';
import type { Coordination } from '../coordination/coordination.js';
import type { Redactor } from '../errors/redactor.js';
import type { HttpLogEvent } from '../http/http-client.js';
import type { JsonSchema } from '../validation/validator.js';
import type { SimulatorHook } from './simulator-hook.js';

/** The tsyringe token under which a plugin registers its provider in the instance's container. */
export const PROVIDER_TOKEN = Symbol.for('provisio.provider');
/** The tsyringe token for the instance context (name, validated config, redactor, logger). */
export const INSTANCE_CONTEXT = Symbol.for('provisio.instance-context');

/** What a provider receives when its instance is built. */
export interface InstanceContext<Config = unknown> {
  /** The instance name from the configuration, e.g. "huawei-prod". */
  name: string;
  /** The plugin's config for this instance, validated against its schema. */
  config: Config;
  /** Knows this instance's secret config values (fields the schema marks `writeOnly`). */
  redactor: Redactor;
  logger?: (event: HttpLogEvent) => void;
  /**
   * What this instance shares with every other holder of the same cloud application (token,
   * flow-control budget): pass `coordination.flowLimiter(app, …)` to the HttpClient and
   * `coordination.tokenStore(app)` to the TokenManager. Set by the Provisioner (in-process by
   * default); absent when a provider is built by hand.
   */
  coordination?: Coordination;
}

/**
 * The one thing a provider package exports (as `default` or `provisioPlugin`).
 * Mark secret fields in `configSchema` with `"writeOnly": true`: their values are redacted
 * from every error and log line of the instance.
 */
export interface ProvisioningPlugin {
  /** The npm package name. */
  name: string;
  version: string;
  /** The provider id the instances report (`ProvisioningProvider.id`). */
  providerId: string;
  /** The range of core contract versions supported (semver), e.g. "^1.0.0". */
  coreApi: string;
  configSchema: JsonSchema;
  /** Registers the provider under PROVIDER_TOKEN in the instance's own child container. */
  register(container: DependencyContainer): void;
  /** Optional: a local simulator of the cloud, for tests, the demo and the conformance runner. */
  simulator?: SimulatorHook;
}

/** Identity function that gives a plugin manifest its type. */
export function definePlugin(plugin: ProvisioningPlugin): ProvisioningPlugin {
  return plugin;
}
