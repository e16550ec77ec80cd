import type { Redis } from 'ioredis';
import { Redlock } from '@sesamecare-oss/redlock';
import type { Coordination, FlowLimiter, RateLimitOptions, TokenStore, TokenStoreOptions } from '@provisio/core';
import { connectRedis, redisUnavailable } from './connection.js';
import { RedisFlowLimiter } from './redis-flow-limiter.js';
import { RedisTokenStore } from './redis-token-store.js';
import { Sealer } from './sealing.js';

export interface RedisCoordinationOptions {
  /** redis:// or rediss:// (password in the URL or in PROVISIO_REDIS_PASSWORD). */
  url: string;
  /** Prefix of every key. Default "provisio:". */
  keyPrefix?: string;
  /** How long a dead process's in-flight slots stay held. Default 15 s. */
  leaseMs?: number;
}

/**
 * The coordination port on Redis: every process that names the same application shares its
 * token (one login at a time, see RedisTokenStore) and its budget (RedisFlowLimiter).
 */
export class RedisCoordination implements Coordination {
  readonly kind = 'redis';
  private readonly redlock: Redlock;
  private readonly limiters = new Set<RedisFlowLimiter>();
  private readonly prefix: string;

  private constructor(
    readonly redis: Redis,
    private readonly options: RedisCoordinationOptions,
  ) {
    this.prefix = options.keyPrefix ?? 'provisio:';
    // Waits up to ~30 s for another process's login (a login is retried on throttles and 5xx).
    this.redlock = new Redlock([redis], { retryCount: 1000, retryDelay: 25, retryJitter: 25, automaticExtensionThreshold: 2000 });
    this.redlock.on('error', () => undefined);
  }

  /** Never the connection (its password). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RedisCoordination { prefix: '${this.prefix}' }`;
  }

  /** Never the connection (its password) in JSON either. */
  toJSON(): { kind: string; keyPrefix: string } {
    return { kind: this.kind, keyPrefix: this.prefix };
  }

  static async connect(options: RedisCoordinationOptions): Promise<RedisCoordination> {
    const redis = await connectRedis(options.url, 'coordination: shared token and flow control');
    return new RedisCoordination(redis, options);
  }

  flowLimiter(app: string, options: RateLimitOptions): FlowLimiter {
    const limiter = new RedisFlowLimiter(this.redis, `${this.prefix}flow:${app}`, { ...options, leaseMs: this.options.leaseMs }, (error) =>
      redisUnavailable(this.options.url, `coordination: the shared flow-control budget of ${app}`, error),
    );
    this.limiters.add(limiter);
    return limiter;
  }

  tokenStore(app: string, options: TokenStoreOptions = {}): TokenStore {
    const sealer = options.sealWith ? Sealer.derive(options.sealWith, app) : undefined;
    return new RedisTokenStore(this.redis, this.redlock, `${this.prefix}token:${app}`, sealer, (error) =>
      redisUnavailable(this.options.url, `coordination: the shared token of ${app}`, error),
    );
  }

  /** Slots this process took from every budget (for figures). */
  get grantedCount(): number {
    let total = 0;
    for (const limiter of this.limiters) total += limiter.granted;
    return total;
  }

  async close(): Promise<void> {
    for (const limiter of this.limiters) limiter.close();
    this.limiters.clear();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** What core's `loadCoordination({ redis: url })` calls. */
export function connectRedisCoordination(options: RedisCoordinationOptions): Promise<RedisCoordination> {
  return RedisCoordination.connect(options);
}
