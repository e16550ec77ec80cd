import { createHttpClient, RateLimiter, sendCommand, type Command, type HttpClient, type HttpLogEvent, type Redactor, type RequestSigner } from '@provisio/core';
import type { AwsApi } from './commands/apis.js';
import { DEFAULT_API_TPS, DEFAULT_REGION, defaultEndpoint, IOT_SIGNING_SERVICE, type AwsConfig } from './config.js';
import { interpretAwsResponse } from './errors.js';
import { sigV4RequestSigner } from './signing/sigv4.js';

/** A TPS figure as the core limiter counts: whole calls per interval. */
function limiterFor(tps: number): RateLimiter {
  if (tps >= 1) {
    const limit = Math.floor(tps);
    return new RateLimiter({ limit, intervalMs: Math.round((1000 * limit) / tps) });
  }
  return new RateLimiter({ limit: 1, intervalMs: Math.round(1000 / tps) });
}

/**
 * The AWS IoT control plane: the kit's HTTP client (TLS, retries, timeouts, the optional
 * account-wide limit) with the SigV4 signing step, and one limiter per API, because AWS
 * throttles each API on its own budget (DEFAULT_API_TPS).
 */
export class AwsIotClient {
  readonly http: HttpClient;
  readonly signer: RequestSigner;
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(config: AwsConfig, redactor: Redactor, logger?: (event: HttpLogEvent) => void) {
    const region = config.region ?? DEFAULT_REGION;
    this.signer = sigV4RequestSigner(config.credentials, region, IOT_SIGNING_SERVICE);
    this.http = createHttpClient({
      provider: 'aws',
      baseURL: config.endpoint ?? defaultEndpoint(region),
      config,
      defaultRateLimit: false,
      interpret: interpretAwsResponse,
      redactor,
      logger,
      auth: this.signer,
      // What the SDK sends for restJson1 bodies.
      jsonContentType: 'application/json',
    });
    if (config.apiRateLimits !== false) {
      const table: Record<string, number> = { ...DEFAULT_API_TPS, ...config.apiRateLimits };
      for (const [api, tps] of Object.entries(table)) this.limiters.set(api, limiterFor(tps));
    }
  }

  /** Sends one API call for a contract operation, within that API's rate limit. */
  async send<Input, Output>(command: Command<Input, Output>, input: Input, operation: string): Promise<Output> {
    const limiter = this.limiters.get(command.name as AwsApi);
    const release = limiter ? await limiter.acquireSlot() : undefined;
    try {
      return await sendCommand(this.http, command, input, operation);
    } finally {
      release?.();
    }
  }

  close(): void {
    this.http.close();
    for (const limiter of this.limiters.values()) limiter.close();
  }
}
