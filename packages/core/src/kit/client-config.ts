import type { Coordination } from '../coordination/coordination.js';
import type { Redactor } from '../errors/redactor.js';
import type { RetryOptions } from '../http/backoff.js';
import { HttpClient, type HttpClientOptions } from '../http/http-client.js';
import type { RateLimitOptions } from '../http/rate-limiter.js';
import type { TlsOptions } from '../http/tls.js';
import type { JsonSchema } from '../validation/validator.js';
import { rateLimitSchema, retryOptionsSchema, tlsOptionsSchema } from '../validation/schemas.js';

/** The transport settings every provider's config shares (one HTTP client's worth). */
export interface ClientConfig {
  /** Client certificate and CA; verification is on unless switched off. */
  tls?: TlsOptions;
  retry?: RetryOptions;
  /** Client-side flow control; unset means the cloud's documented limit, `false` none. */
  rateLimit?: RateLimitOptions | false;
  /** Per-request timeout in ms. Default 10 000. */
  timeoutMs?: number;
}

/** The config-schema properties of {@link ClientConfig}: spread them into a provider's schema. */
export const clientConfigProperties: Readonly<Record<keyof ClientConfig, JsonSchema>> = {
  tls: tlsOptionsSchema,
  retry: retryOptionsSchema,
  rateLimit: rateLimitSchema,
  timeoutMs: { type: 'integer', minimum: 1 },
};

/**
 * The HTTP client's own options, with the transport settings taken from the instance's config
 * instead (every other HttpClient option passes through unchanged).
 */
export interface CreateHttpClientOptions extends Omit<HttpClientOptions, 'tls' | 'retry' | 'rateLimit' | 'timeoutMs'> {
  /** The instance's validated config (its tls/retry/rateLimit/timeoutMs fragments are read). */
  config: ClientConfig;
  /** The vendor's documented flow control, applied when the config sets none. Default: none. */
  defaultRateLimit?: RateLimitOptions | false;
  /** The instance's redactor (knows its secrets); the client adds the TLS passphrase. */
  redactor: Redactor;
  /**
   * What the instance shares with every other holder of the same cloud application
   * (`InstanceContext.coordination`), and that application's identity: the client's rate limit
   * is then the app's shared budget. Without them the client keeps a limiter of its own.
   */
  coordination?: Coordination;
  app?: string;
}

/** The one place a provider's HTTP client is built from its config. */
export function createHttpClient(options: CreateHttpClientOptions): HttpClient {
  const { config, defaultRateLimit, coordination, app, ...client } = options;
  const rateLimit = effectiveRateLimit(config, defaultRateLimit);
  return new HttpClient({
    ...client,
    tls: config.tls,
    retry: config.retry,
    timeoutMs: config.timeoutMs,
    rateLimit,
    flowLimiter: rateLimit && coordination && app ? coordination.flowLimiter(app, rateLimit) : undefined,
  });
}

/** The rate limit a client built by {@link createHttpClient} applies. */
export function effectiveRateLimit(config: ClientConfig, defaultRateLimit?: RateLimitOptions | false): RateLimitOptions | false {
  return config.rateLimit === undefined ? (defaultRateLimit ?? false) : config.rateLimit;
}
