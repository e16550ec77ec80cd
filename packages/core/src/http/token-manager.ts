/**
 * Single-flight access-token manager for clouds with login tokens.
 *
 * - Many concurrent callers share one login: whoever arrives while a login or refresh is
 *   in flight waits for that one (Huawei invalidates every token but the newest, so two
 *   concurrent logins would knock each other out).
 * - The token is refreshed `refreshAheadMs` before it expires, with the refresh token when the
 *   source offers refresh; a failed refresh falls back to a fresh login.
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
      } catch {
        // The refresh token may have expired or been revoked: a login always works if the secret does.
        this.stats.refreshFailures++;
      }
    }
    if (!token) {
      this.stats.logins++;
      token = await this.source.login();
    }
    this.options.onToken?.(token);
    this.obtainedAt = this.now();
    this.current = token;
    return token;
  }
}
