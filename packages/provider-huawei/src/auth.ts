import { BearerTokenAuth, sendCommand, TokenManager, type AccessToken, type HttpClient, type TokenManagerOptions, type TokenSource } from '@provisio/core';
import { login, refreshToken } from './commands.js';
import { REFRESH_REFUSED, TOKEN_REJECTED } from './errors.js';

/**
 * Login and refresh for one app, through the instance's HTTP client, so they count against its
 * flow control. Issued tokens are registered with the client's redactor by the commands.
 */
export class HuaweiTokenSource implements TokenSource {
  constructor(
    private readonly http: HttpClient,
    private readonly app: { appId: string; secret: string },
  ) {}

  login(): Promise<AccessToken> {
    return sendCommand(this.http, login, this.app, 'login');
  }

  refresh(current: AccessToken): Promise<AccessToken> {
    return sendCommand(this.http, refreshToken, { ...this.app, refreshToken: current.refreshToken }, 'refreshToken');
  }

  /**
   * Only a refused refresh token is worth a new login: on OceanConnect a login invalidates the
   * token every other holder of this app is using.
   */
  refreshRefused(error: unknown): boolean {
    return REFRESH_REFUSED.has(String((error as { vendorCode?: unknown } | undefined)?.vendorCode));
  }
}

/** Every call carries `app_key` and `Authorization: Bearer`; a 1010005 renews the token once. */
export function huaweiAuth(http: HttpClient, app: { appId: string; secret: string }, tokenOptions: TokenManagerOptions): BearerTokenAuth {
  return new BearerTokenAuth({
    tokens: new TokenManager(new HuaweiTokenSource(http, app), tokenOptions),
    headers: { app_key: app.appId },
    isTokenRejected: (error) => error.vendorCode === TOKEN_REJECTED,
  });
}
