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
  private readonly now: () => number;
  readonly stats: TokenStats = { logins: 0, refreshes: 0, refreshFailures: 0 };

  constructor(
    private readonly source: TokenSource,
    private readonly options: TokenManagerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** A token valid for at least the refresh-ahead window (or the freshest one obtainable). */
  async get(): Promise<string> {
    const token = this.current;
    if (token && !this.dueForRenewal(token)) return token.value;
    return (await this.renew(false)).value;
  }

  /** The token `get()` would hand out without waiting, or undefined when it would have to wait. */
  peek(): string | undefined {
    const token = this.current;
    return token && !this.dueForRenewal(token) ? token.value : undefined;
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
    return (await this.renew(true)).value;
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

  private renew(forceLogin: boolean): Promise<AccessToken> {
    if (!this.inflight) {
      this.inflight = this.obtain(forceLogin).finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
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
