import { randomInt } from 'node:crypto';
import { RequestSigner, type ServerClock } from '@provisio/core';
import { SIGNATURE_EXPIRED } from '../errors.js';
import { deviceSignature, type DeviceSignatureMethod } from './device-signature.js';
import { tc3Authorization } from './tc3.js';

/** Both faces: one re-sign after correcting the clock from the answer of a SignatureExpire. */
const isClockSkew = (error: { vendorCode?: string }) => error.vendorCode === SIGNATURE_EXPIRED;

/** Signs dynamic registration with the productSecret (X-TC-* headers, base64 HMAC). */
export function deviceRegistrationSigner(
  clock: ServerClock,
  options: { productSecret: string; method: DeviceSignatureMethod; signHost?: string },
): RequestSigner {
  return new RequestSigner({
    clock,
    isClockSkew,
    sign(request, now) {
      const timestamp = now.nowSeconds();
      const nonce = randomInt(1, 2 ** 31 - 1);
      request.headers['X-TC-Algorithm'] = options.method;
      request.headers['X-TC-Timestamp'] = String(timestamp);
      request.headers['X-TC-Nonce'] = String(nonce);
      request.headers['X-TC-Signature'] = deviceSignature({
        algorithm: options.method,
        host: options.signHost ?? request.hostname ?? request.url.hostname,
        path: request.pathname ?? request.url.pathname,
        timestamp,
        nonce,
        body: request.body ?? '',
        secret: options.productSecret,
      });
    },
  });
}

/** Signs Cloud API 3.0 calls with TC3-HMAC-SHA256 (SecretId/SecretKey). */
export function tc3Signer(clock: ServerClock, options: { secretId: string; secretKey: string; service: string; region: string }): RequestSigner {
  return new RequestSigner({
    clock,
    isClockSkew,
    sign(request, now) {
      const timestamp = now.nowSeconds();
      request.headers['X-TC-Timestamp'] = String(timestamp);
      request.headers['X-TC-Region'] = options.region;
      request.headers.Authorization = tc3Authorization({
        secretId: options.secretId,
        secretKey: options.secretKey,
        service: options.service,
        host: request.hostname ?? request.url.hostname,
        method: request.method,
        query: request.method === 'GET' ? (request.search ?? request.url.search.slice(1)) : '',
        contentType: request.headers['Content-Type'] ?? 'application/x-www-form-urlencoded',
        payload: request.body ?? '',
        timestamp,
      });
    },
  });
}
