import type { TokenStore } from '../coordination/coordination.js';
import { isProvisioningError } from '../errors/provisioning-error.js';

/**
 * Single-flight access-token manager for clouds with login tokens.
 *
 * - Many concurrent callers share one login: whoever arrives while a login or refresh is
 *   in flight waits for that one (Huawei invalidates every token but the newest, so two
 *   concurrent logins would knock each other out).
 * - The token is refreshed `refreshAheadMs` before it expires, with the refresh token when the
 *   source offers refresh. Only a refresh whose refresh token was refused falls back to a fresh
 *   login (on Huawei a login invalidates every other holder's token); any other refresh failure
 *   (5xx, timeout) is reported as itself, while the current token, still valid, keeps serving.
 * - `invalidate(token)` after an "invalid token" answer renews once, however many callers
 *   report the same stale token.
 */
export interface AccessToken {
  value: string;
  /** Epoch ms after which the token must not be used. */
  expiresAt: number;
  refreshToken?: string;
}

export interface TokenSource {
  login(): Promise<AccessToken>;
  refresh?(current: AccessToken): Promise<AccessToken>;
  /**
   * Does this refresh failure mean the refresh token itself was refused (expired, revoked), so
   * only a login helps? Default: a ProvisioningError with code AUTHENTICATION_FAILED.
   */
  refreshRefused?(error: unknown): boolean;
}

function refusedByDefault(error: unknown): boolean {
  return isProvisioningError(error) && error.code === 'AUTHENTICATION_FAILED';
}

export interface TokenManagerOptions {
  /** Renew this long before expiry. Default 60 s, and never more than a tenth of the token's lifetime. */
  refreshAheadMs?: number;
  now?: () => number;
  /** Called with every new token (to register it with a redactor). */
  onToken?: (token: AccessToken) => void;
  /**
   * Where the application's token is shared with its other holders (other instances, other
   * processes: see Coordination). Without it the token lives in this manager alone.
   */
  store?: TokenStore;
  /** With a store: how long the token read from it is used before it is read again. Default 1 s. */
  storeSyncMs?: number;
}

export interface TokenStats {
  logins: number;
  refreshes: number;
  refreshFailures: number;
}

export class TokenManager {
  private current: AccessToken | undefined;
  private obtainedAt = 0;
  /** After a refresh failed for a reason other than refusal: no new attempt before this (epoch ms). */
  private refreshPausedUntil = 0;
  private inflight: Promise<AccessToken> | undefined;
  /** With a store: when the token was last read from it, and the read in flight. */
  private syncedAt = Number.NEGATIVE_INFINITY;
  private syncing: Promise<AccessToken | undefined> | undefined;
  private readonly now: () => number;
  readonly stats: TokenStats = { logins: 0, refreshes: 0, refreshFailures: 0 };

  constructor(
    private readonly source: TokenSource,
    private readonly options: TokenManagerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Never the token, the refresh token or the source (it holds the login secret). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `TokenManager { logins: ${this.stats.logins}, refreshes: ${this.stats.refreshes}, shared: ${this.options.store ? 'yes' : 'no'} }`;
  }

  toJSON(): TokenStats {
    return { ...this.stats };
  }

  /** A token valid for at least the refresh-ahead window (or the freshest one obtainable). */
  async get(): Promise<string> {
    const token = this.current;
    if (token && !this.dueForRenewal(token) && (!this.options.store || this.now() - this.syncedAt < (this.options.storeSyncMs ?? 1000))) {
      return token.value;
    }
    if (this.options.store && !this.inflight) {
      // Another holder may have renewed it: its token is the only valid one on some clouds.
      const shared = await this.sync();
      if (shared) return shared.value;
    }
    return (await this.renew(false)).value;
  }

  /** The token `get()` would hand out without waiting, or undefined when it would have to wait. */
  peek(): string | undefined {
    const token = this.current;
    if (!token || this.dueForRenewal(token)) return undefined;
    // With a shared store, get() would look at it first once the last look is stale.
    if (this.options.store && this.now() - this.syncedAt >= (this.options.storeSyncMs ?? 1000)) return undefined;
    return token.value;
  }

  /** Is a token held that `get()` would hand out without waiting? */
  isFresh(): boolean {
    return this.current !== undefined && !this.inflight && !this.dueForRenewal(this.current);
  }

  /** Reports that `stale` was rejected; renews once if it is still the current token. */
  async invalidate(stale: string): Promise<string> {
    if (this.inflight) return (await this.inflight).value;
    if (this.current && this.current.value !== stale) return this.current.value;
    this.current = undefined;
    return (await this.renew(true, stale)).value;
  }

  /** Forgets the token (next call logs in). */
  clear(): void {
    this.current = undefined;
  }

  private dueForRenewal(token: AccessToken): boolean {
    const lifetimeLeft = token.expiresAt - this.now();
    if (lifetimeLeft > 0 && this.now() < this.refreshPausedUntil) return false;
    // Never more than a tenth of the token's lifetime, or a short-lived token would be renewed on every call.
    const ahead = Math.min(this.options.refreshAheadMs ?? 60_000, (token.expiresAt - this.obtainedAt) / 10);
    return lifetimeLeft <= ahead;
  }

  /** Reads the shared token; adopts and returns it when it is good for use. */
  private sync(): Promise<AccessToken | undefined> {
    const store = this.options.store as TokenStore;
    this.syncing ??= store
      .read()
      .then((shared) => {
        this.syncedAt = this.now();
        if (!shared || this.isDue(shared, shared.obtainedAt)) return undefined;
        this.adopt(shared, shared.obtainedAt);
        return shared;
      })
      .finally(() => {
        this.syncing = undefined;
      });
    return this.syncing;
  }

  private adopt(token: AccessToken, obtainedAt: number): void {
    if (this.current?.value !== token.value) this.options.onToken?.(token);
    this.current = token;
    this.obtainedAt = obtainedAt;
    this.syncedAt = this.now();
  }

  private isDue(token: AccessToken, obtainedAt: number): boolean {
    const lifetimeLeft = token.expiresAt - this.now();
    const ahead = Math.min(this.options.refreshAheadMs ?? 60_000, (token.expiresAt - obtainedAt) / 10);
    return lifetimeLeft <= ahead;
  }

  private renew(forceLogin: boolean, stale?: string): Promise<AccessToken> {
    if (!this.inflight) {
      this.inflight = (this.options.store ? this.obtainShared(forceLogin, stale) : this.obtain(forceLogin)).finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /**
   * One renewal at a time across all holders: under the store's lock, a token another holder
   * stored meanwhile (not the one reported stale, not due) is adopted instead of logging in again.
   */
  private obtainShared(forceLogin: boolean, stale: string | undefined): Promise<AccessToken> {
    const store = this.options.store as TokenStore;
    return store.exclusive(async () => {
      const shared = await store.read();
      if (shared && shared.value !== stale && !this.isDue(shared, shared.obtainedAt)) {
        this.adopt(shared, shared.obtainedAt);
        return shared;
      }
      if (shared) {
        this.current = shared;
        this.obtainedAt = shared.obtainedAt;
      }
      const token = await this.obtain(forceLogin || (shared !== undefined && shared.value === stale));
      await store.write({ ...token, obtainedAt: this.obtainedAt });
      this.syncedAt = this.now();
      return token;
    });
  }

  private async obtain(forceLogin: boolean): Promise<AccessToken> {
    const previous = this.current;
    let token: AccessToken | undefined;
    if (!forceLogin && previous?.refreshToken && this.source.refresh) {
      try {
        this.stats.refreshes++;
        token = await this.source.refresh(previous);
      } catch (error) {
        this.stats.refreshFailures++;
        const refused = (this.source.refreshRefused ?? refusedByDefault)(error);
        if (!refused) {
          // The platform is failing, not the refresh token: a login would not fare better, and on
          // some clouds would invalidate every other holder's token. Keep the current one while it lasts.
          const left = previous.expiresAt - this.now();
          if (left <= 0) throw error;
          // Try again after a quarter of what is left, not on every call while the platform is down.
          this.refreshPausedUntil = this.now() + left / 4;
          return previous;
        }
      }
    }
    if (!token) {
      this.stats.logins++;
      token = await this.source.login();
    }
    this.options.onToken?.(token);
    this.refreshPausedUntil = 0;
    this.obtainedAt = this.now();
    this.current = token;
    return token;
  }
}
