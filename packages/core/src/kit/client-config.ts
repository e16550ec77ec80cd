import type { Redactor } from '../errors/redactor.js';
import type { RetryOptions } from '../http/backoff.js';
import { HttpClient, type AuthStep, type HttpLogEvent, type ResponseInterpreter } from '../http/http-client.js';
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

export interface CreateHttpClientOptions {
  /** The provider id errors and logs carry. */
  provider: string;
  baseURL: string;
  /** The instance's validated config (its tls/retry/rateLimit/timeoutMs fragments are read). */
  config: ClientConfig;
  /** The vendor's documented flow control, applied when the config sets none. Default: none. */
  defaultRateLimit?: RateLimitOptions | false;
  interpret: ResponseInterpreter;
  /** The instance's redactor (knows its secrets); the client adds the TLS passphrase. */
  redactor: Redactor;
  logger?: (event: HttpLogEvent) => void;
  /** The login or signing step; a login step that needs this client can be set later with setAuth. */
  auth?: AuthStep;
  /** Content-Type for JSON bodies when the vendor spells it its own way. */
  jsonContentType?: string;
}

/** The one place a provider's HTTP client is built from its config. */
export function createHttpClient(options: CreateHttpClientOptions): HttpClient {
  const { config } = options;
  return new HttpClient({
    provider: options.provider,
    baseURL: options.baseURL,
    tls: config.tls,
    retry: config.retry,
    timeoutMs: config.timeoutMs,
    rateLimit: config.rateLimit === undefined ? (options.defaultRateLimit ?? false) : config.rateLimit,
    interpret: options.interpret,
    redactor: options.redactor,
    logger: options.logger,
    auth: options.auth,
    jsonContentType: options.jsonContentType,
  });
}
