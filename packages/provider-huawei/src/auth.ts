import {
  ProvisioningError,
  TokenManager,
  type AccessToken,
  type AuthStep,
  type HttpClient,
  type PreparedRequest,
  type Redactor,
  type TokenSource,
} from '@provisio/core';
import { PATHS } from './paths.js';

interface LoginAnswer {
  accessToken?: string;
  refreshToken?: string;
  expiresIn?: number | string;
}

/**
 * Login (form-urlencoded, seed 003) and refresh (JSON, vendor notes) for one app.
 * Both go through the instance's HTTP client, so they count against its flow control.
 */
export class HuaweiTokenSource implements TokenSource {
  constructor(
    private readonly http: HttpClient,
    private readonly credentials: { appId: string; secret: string },
    private readonly redactor: Redactor,
  ) {}

  async login(): Promise<AccessToken> {
    const response = await this.http.send({
      operation: 'login',
      method: 'POST',
      path: PATHS.login,
      form: { appId: this.credentials.appId, secret: this.credentials.secret },
      // A repeated login only replaces a token we never received: safe to retry.
      idempotent: true,
      authenticate: false,
    });
    return this.toToken(response.data as LoginAnswer);
  }

  async refresh(current: AccessToken): Promise<AccessToken> {
    const response = await this.http.send({
      operation: 'refreshToken',
      method: 'POST',
      path: PATHS.refreshToken,
      json: { appId: this.credentials.appId, secret: this.credentials.secret, refreshToken: current.refreshToken },
      idempotent: true,
      authenticate: false,
    });
    return this.toToken(response.data as LoginAnswer);
  }

  /**
   * The refresh answers that mean this refresh token will not do (VENDOR-NOTES: 401 100208 "log
   * in again"; 102202/50400 an empty or malformed one): only then is a new login worth its cost,
   * since a login invalidates the token every other holder of this app is using.
   */
  refreshRefused(error: unknown): boolean {
    const vendorCode = (error as ProvisioningError | undefined)?.vendorCode;
    return vendorCode === '100208' || vendorCode === '102202' || vendorCode === '50400';
  }

  private toToken(answer: LoginAnswer | undefined): AccessToken {
    const expiresIn = Number(answer?.expiresIn ?? 3600);
    if (!answer?.accessToken || !Number.isFinite(expiresIn)) {
      throw new ProvisioningError({
        code: 'INTERNAL',
        message: 'OceanConnect login answer has no accessToken/expiresIn',
        provider: 'huawei',
        operation: 'login',
        retryable: false,
      });
    }
    // Held, not added: the current tokens stay redacted however many PSKs are issued meanwhile.
    this.redactor.hold('huawei.accessToken', answer.accessToken);
    this.redactor.hold('huawei.refreshToken', answer.refreshToken);
    return { value: answer.accessToken, refreshToken: answer.refreshToken, expiresAt: Date.now() + expiresIn * 1000 };
  }
}

/** Adds `app_key` and `Authorization: Bearer` to every call; on 1010005 renews the token once. */
export class HuaweiAuthStep implements AuthStep {
  constructor(
    private readonly appId: string,
    readonly tokens: TokenManager,
  ) {}

  async ready(): Promise<void> {
    await this.tokens.get();
  }

  isReady(): boolean {
    return this.tokens.isFresh();
  }

  async authorize(request: PreparedRequest): Promise<void> {
    request.headers.app_key = this.appId;
    request.headers.Authorization = `Bearer ${await this.tokens.get()}`;
  }

  async recover(error: ProvisioningError, request: PreparedRequest): Promise<boolean> {
    if (error.vendorCode !== '1010005') return false;
    const stale = (request.headers.Authorization ?? '').replace(/^Bearer /, '');
    await this.tokens.invalidate(stale);
    return true;
  }
}
