/**
 * The one small set of failure codes every provider maps its vendor errors onto.
 * Applications branch on these; the vendor's own code is kept beside them on the error.
 */
export const ERROR_CODES = {
  INVALID_INPUT: 'The request or configuration failed validation before any I/O.',
  AUTHENTICATION_FAILED: 'The cloud rejected the credentials (app secret, signature, token), or TLS authentication failed either way (details.tls says why).',
  ACCESS_DENIED: 'Authenticated, but not allowed to do this (unauthorised app, frozen account).',
  NOT_FOUND: 'The device (or the resource it belongs to) does not exist.',
  ALREADY_EXISTS: 'A device with this identity is already registered.',
  DEVICE_ONLINE: 'The operation needs the device offline and it is online.',
  DEVICE_NOT_ACTIVE: 'The operation needs a device that has connected at least once.',
  RATE_LIMITED: 'The cloud (or the client-side limiter) throttled the call.',
  QUOTA_EXCEEDED: 'A hard quota (device count, licences) is used up.',
  UNSUPPORTED: 'This provider instance does not offer the operation (see its capabilities).',
  DECRYPTION_FAILED: 'A sealed credential payload could not be decrypted.',
  TIMEOUT: 'No answer within the configured time.',
  UNAVAILABLE: 'The cloud could not be reached or answered with a server error.',
  INTERNAL: 'An unexpected failure (malformed answer, a bug); see the vendor code if any.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** Codes that are worth retrying by default (the vendor mapping may override per error). */
const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'RATE_LIMITED',
  'TIMEOUT',
  'UNAVAILABLE',
]);

export function isRetryableByDefault(code: ErrorCode): boolean {
  return RETRYABLE_BY_DEFAULT.has(code);
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}
