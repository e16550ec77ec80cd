import {
  createHttpClient,
  RateLimiter,
  sendCommand,
  type Command,
  type Coordination,
  type FlowLimiter,
  type HttpClient,
  type HttpLogEvent,
  type RateLimitOptions,
  type Redactor,
  type RequestSigner,
} from '@provisio/core';
import type { AwsApi } from './commands/apis.js';
import { DEFAULT_API_TPS, DEFAULT_REGION, defaultEndpoint, IOT_SIGNING_SERVICE, type AwsConfig } from './config.js';
import { interpretAwsResponse } from './errors.js';
import { sigV4RequestSigner } from './signing/sigv4.js';

/** A TPS figure as the core limiter counts: whole calls per interval. */
function budgetFor(tps: number): RateLimitOptions {
  if (tps >= 1) {
    const limit = Math.floor(tps);
    return { limit, intervalMs: Math.round((1000 * limit) / tps) };
  }
  return { limit: 1, intervalMs: Math.round(1000 / tps) };
}

/**
 * The AWS IoT control plane: the kit's HTTP client (TLS, retries, timeouts, the optional
 * account-wide limit) with the SigV4 signing step, and one limiter per API, because AWS
 * throttles each API on its own budget (DEFAULT_API_TPS).
 */
export class AwsIotClient {
  readonly http: HttpClient;
  readonly signer: RequestSigner;
  private readonly limiters = new Map<string, FlowLimiter>();
  /** Limiters handed out by a coordination belong to it (other instances share them): not closed here. */
  private readonly ownsLimiters: boolean;

  constructor(config: AwsConfig, redactor: Redactor, logger?: (event: HttpLogEvent) => void, coordination?: Coordination) {
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
    this.ownsLimiters = !coordination;
    if (config.apiRateLimits !== false) {
      const table: Record<string, number> = { ...DEFAULT_API_TPS, ...config.apiRateLimits };
      // AWS counts each API's TPS per account and region: every instance, in any process, that
      // uses the same keys there shares that budget (see Coordination).
      const account = `aws:${config.credentials.accessKeyId}@${region}`;
      for (const [api, tps] of Object.entries(table)) {
        const budget = budgetFor(tps);
        this.limiters.set(api, coordination ? coordination.flowLimiter(`${account}:${api}`, budget) : new RateLimiter(budget));
      }
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
    if (this.ownsLimiters) for (const limiter of this.limiters.values()) limiter.close();
  }
}
