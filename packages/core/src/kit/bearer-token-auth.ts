import type { ProvisioningError } from '../errors/provisioning-error.js';
import type { AuthStep, HttpResponse, PreparedRequest } from '../http/http-client.js';
import type { TokenManager } from '../http/token-manager.js';

export interface BearerTokenAuthOptions {
  /** Single-flight login and refresh (one login at a time, shared by every call). */
  tokens: TokenManager;
  /** The header that carries the token. Default "Authorization". */
  header?: string;
  /** Written before the token. Default "Bearer ". */
  scheme?: string;
  /** Further headers every authenticated call carries (e.g. an app key). */
  headers?: Readonly<Record<string, string>>;
  /**
   * Does this answer mean the token itself was refused (expired, replaced by a newer login)?
   * Then the token is renewed once, however many calls report it, and the call is sent again.
   */
  isTokenRejected(error: ProvisioningError, response: HttpResponse): boolean;
}

/**
 * The auth step of clouds with a login token: obtains the token before the call waits for the
 * rate limiter (`ready`), tells the HTTP client when a queued call would have to wait for a
 * re-login (`isReady`: the call then hands its limiter slot back, so a login queued behind a
 * full window of calls waiting for it cannot deadlock), adds the header, and renews once on a
 * refused token.
 */
export class BearerTokenAuth implements AuthStep {
  readonly tokens: TokenManager;
  private readonly header: string;
  private readonly scheme: string;

  constructor(private readonly options: BearerTokenAuthOptions) {
    this.tokens = options.tokens;
    this.header = options.header ?? 'Authorization';
    this.scheme = options.scheme ?? 'Bearer ';
  }

  async ready(): Promise<void> {
    await this.tokens.get();
  }

  isReady(): boolean {
    return this.tokens.isFresh();
  }

  /** Synchronous while the token is fresh (the usual case): no await on the hot path. */
  authorize(request: PreparedRequest): void | Promise<void> {
    Object.assign(request.headers, this.options.headers);
    const token = this.tokens.peek();
    if (token !== undefined) {
      request.headers[this.header] = `${this.scheme}${token}`;
      return undefined;
    }
    return this.tokens.get().then((value) => {
      request.headers[this.header] = `${this.scheme}${value}`;
    });
  }

  async recover(error: ProvisioningError, request: PreparedRequest, response: HttpResponse): Promise<boolean> {
    if (!this.options.isTokenRejected(error, response)) return false;
    const sent = request.headers[this.header] ?? '';
    await this.tokens.invalidate(sent.startsWith(this.scheme) ? sent.slice(this.scheme.length) : sent);
    return true;
  }

  /** Never the token. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `BearerTokenAuth { header: '${this.header}' }`;
  }
}
