import { createHash, createHmac } from 'node:crypto';

/** The algorithms dynamic registration accepts, as the SDKs write them in X-TC-Algorithm. */
export type DeviceSignatureMethod = 'hmacsha256' | 'hmacsha1';

export interface DeviceSignatureInput {
  /** Algorithm name exactly as sent in X-TC-Algorithm (it is part of the signed string). */
  algorithm: string;
  /** Host as signed: the gateway host name, without port. */
  host: string;
  path: string;
  /** Unix seconds. */
  timestamp: number;
  nonce: number;
  body: Buffer | string;
  /** The whole productSecret. */
  secret: string;
}

function hashName(algorithm: string): 'sha256' | 'sha1' {
  if (algorithm === 'hmacsha256') return 'sha256'; // as sent by default: no case folding per call
  return algorithm.toLowerCase() === 'hmacsha1' ? 'sha1' : 'sha256';
}

/** The string the dynamic-registration signature covers (vendor notes: fields joined by \n). */
export function deviceStringToSign(input: Omit<DeviceSignatureInput, 'secret'>): string {
  const bodyHash = createHash(hashName(input.algorithm)).update(input.body).digest('hex');
  return `POST\n${input.host}\n${input.path}\n\n${input.algorithm}\n${input.timestamp}\n${input.nonce}\n${bodyHash}`;
}

/** X-TC-Signature: base64 of the raw HMAC, keyed with the whole productSecret. */
export function deviceSignature(input: DeviceSignatureInput): string {
  return createHmac(hashName(input.algorithm), input.secret).update(deviceStringToSign(input)).digest('base64');
}

/**
 * The legacy `/register/dev` signature of older device SDKs: base64 of the *hex* HMAC-SHA1 of
 * `deviceName=..&nonce=..&productId=..&timestamp=..`.
 */
export function legacyRegisterSignature(
  fields: { deviceName: string; nonce: number | string; productId: string; timestamp: number | string },
  secret: string,
): string {
  const text = `deviceName=${fields.deviceName}&nonce=${fields.nonce}&productId=${fields.productId}&timestamp=${fields.timestamp}`;
  const hex = createHmac('sha1', secret).update(text).digest('hex');
  return Buffer.from(hex, 'utf8').toString('base64');
}
