import type { ProvisioningError } from '../errors/provisioning-error.js';
import type { AuthStep, HttpResponse, PreparedRequest } from '../http/http-client.js';
import { ServerClock } from './server-clock.js';

export interface RequestSignerOptions {
  /**
   * Adds the signature (and the headers it covers) to the serialised request. `clock` is the
   * server's time as far as the client knows it: sign with it, never with Date.now(). It may be
   * async (a library signer that hashes through a promise-based API, like @smithy/signature-v4).
   */
  sign(request: PreparedRequest, clock: ServerClock): void | Promise<void>;
  /** Shared by the signers of one instance (both faces of a cloud see the same server time). */
  clock?: ServerClock;
  /**
   * Does this answer mean the signature's timestamp was too far from the server's clock? Then the
   * clock is corrected from the answer's Date header and the request is signed and sent once more.
   */
  isClockSkew?(error: ProvisioningError, response: HttpResponse): boolean;
}

/**
 * The auth step of clouds that sign every request with a key (no login): signs just before the
 * request is sent, and re-signs once after a clock-skew refusal. Never waits, so it needs no
 * `ready()`/`isReady()`.
 */
export class RequestSigner implements AuthStep {
  readonly clock: ServerClock;

  constructor(private readonly options: RequestSignerOptions) {
    this.clock = options.clock ?? new ServerClock();
  }

  authorize(request: PreparedRequest): void | Promise<void> {
    return this.options.sign(request, this.clock);
  }

  async recover(error: ProvisioningError, _request: PreparedRequest, response: HttpResponse): Promise<boolean> {
    if (!this.options.isClockSkew?.(error, response)) return false;
    return this.clock.correctFrom(response.headers.date);
  }

  /** Never the signing key. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'RequestSigner {}';
  }
}
