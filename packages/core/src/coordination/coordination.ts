import type { RateLimitOptions, ReleaseSlot } from '../http/rate-limiter.js';
import type { AccessToken } from '../http/token-manager.js';

/**
 * The coordination port: what must be shared by every process that uses one cloud application
 * (one app id, one account). Two implementations: `InProcessCoordination` (the embedded default,
 * nothing to install) and `RedisCoordination` in `@provisio/redis` (fleets of processes).
 *
 * `app` is the application's identity as the provider knows it (e.g. "huawei:<baseUrl>#<appId>"):
 * two instances, in one process or in many, that name the same app share one token and one budget.
 */
export interface Coordination {
  /** "in-process" or "redis" (for messages and the CLI's `providers`). */
  readonly kind: string;
  /** The application's flow-control budget: never more than `limit` calls in any `intervalMs`, across all holders. */
  flowLimiter(app: string, options: RateLimitOptions): FlowLimiter;
  /** The application's login token, shared by all holders (one login at a time). */
  tokenStore(app: string, options?: TokenStoreOptions): TokenStore;
  /** Releases connections and timers; limiters and stores handed out stop working. */
  close(): Promise<void>;
}

/**
 * A budget of call slots, as `RateLimiter` counts them: a slot taken for a call comes back one
 * interval after the call *finished*; `release(false)` hands it back unused (the call was not sent).
 */
export interface FlowLimiter {
  acquireSlot(): Promise<ReleaseSlot>;
  close(): void;
}

export interface TokenStoreOptions {
  /**
   * A secret every holder of the application knows (its app secret): a shared store seals the
   * token with a key derived from it, so whoever reads the store without it learns nothing.
   */
  sealWith?: string;
}

/** The token as stored: with when it was obtained, so every holder renews it at the same point of its life. */
export interface StoredToken extends AccessToken {
  obtainedAt: number;
}

/** Where the application's current token lives, and the lock that makes its renewal single-flight. */
export interface TokenStore {
  /** The token every holder uses now, if any. */
  read(): Promise<StoredToken | undefined>;
  write(token: StoredToken): Promise<void>;
  /** Runs `work` while no other holder (in any process) renews this application's token. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

/** How `Provisioner.create` and provisio.config.json name a coordination: an object, or `{ "redis": "redis://…" }`. */
export type CoordinationSetting = Coordination | { redis: string; keyPrefix?: string };

export function isCoordination(value: unknown): value is Coordination {
  const v = value as Partial<Coordination> | undefined;
  return typeof v?.flowLimiter === 'function' && typeof v.tokenStore === 'function' && typeof v.close === 'function';
}
