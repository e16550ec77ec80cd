import { randomInt } from 'node:crypto';
import type { AuthStep, HttpResponse, PreparedRequest, ProvisioningError } from '@provisio/core';
import type { ServerClock } from './clock.js';
import { deviceSignature, type DeviceSignatureMethod } from './device-signature.js';
import { tc3Authorization } from './tc3.js';

/** Shared by both signers: one re-sign after correcting the clock from the server's answer. */
abstract class ClockCorrectingSigner implements AuthStep {
  constructor(protected readonly clock: ServerClock) {}

  abstract authorize(request: PreparedRequest): void;

  async recover(error: ProvisioningError, _request: PreparedRequest, response: HttpResponse): Promise<boolean> {
    if (error.vendorCode !== 'AuthFailure.SignatureExpire') return false;
    return this.clock.correctFrom(response.headers.date);
  }
}

/** Signs dynamic registration with the productSecret (X-TC-* headers, base64 HMAC). */
export class DeviceRegistrationSigner extends ClockCorrectingSigner {
  constructor(
    clock: ServerClock,
    private readonly options: { productSecret: string; method: DeviceSignatureMethod; signHost?: string },
  ) {
    super(clock);
  }

  authorize(request: PreparedRequest): void {
    const timestamp = this.clock.nowSeconds();
    const nonce = randomInt(1, 2 ** 31 - 1);
    request.headers['X-TC-Algorithm'] = this.options.method;
    request.headers['X-TC-Timestamp'] = String(timestamp);
    request.headers['X-TC-Nonce'] = String(nonce);
    request.headers['X-TC-Signature'] = deviceSignature({
      algorithm: this.options.method,
      host: this.options.signHost ?? request.hostname,
      path: request.pathname,
      timestamp,
      nonce,
      body: request.body ?? '',
      secret: this.options.productSecret,
    });
  }
}

/** Signs Cloud API 3.0 calls with TC3-HMAC-SHA256 (SecretId/SecretKey). */
export class Tc3Signer extends ClockCorrectingSigner {
  constructor(
    clock: ServerClock,
    private readonly options: { secretId: string; secretKey: string; service: string; region: string },
  ) {
    super(clock);
  }

  authorize(request: PreparedRequest): void {
    const timestamp = this.clock.nowSeconds();
    request.headers['X-TC-Timestamp'] = String(timestamp);
    request.headers['X-TC-Region'] = this.options.region;
    request.headers.Authorization = tc3Authorization({
      secretId: this.options.secretId,
      secretKey: this.options.secretKey,
      service: this.options.service,
      host: request.hostname,
      method: request.method,
      query: request.method === 'GET' ? request.search : '',
      contentType: request.headers['Content-Type'] ?? 'application/x-www-form-urlencoded',
      payload: request.body ?? '',
      timestamp,
    });
  }
}
