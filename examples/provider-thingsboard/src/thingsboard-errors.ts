import { ErrorTable, type VendorErrorMapping } from '@provisio/core';

/**
 * ThingsBoard's `ThingsboardErrorCode` values (REST error body `{status, message, errorCode}`).
 * GENERAL (2) is left to the HTTP status: a 500 GENERAL is the server failing, a 400 one bad input.
 */
const BY_ERROR_CODE: Readonly<Record<string, VendorErrorMapping>> = {
  '10': { code: 'AUTHENTICATION_FAILED' }, // AUTHENTICATION
  '11': { code: 'AUTHENTICATION_FAILED' }, // JWT_TOKEN_EXPIRED
  '15': { code: 'AUTHENTICATION_FAILED' }, // CREDENTIALS_EXPIRED
  '20': { code: 'ACCESS_DENIED' }, // PERMISSION_DENIED
  '30': { code: 'INVALID_INPUT' }, // INVALID_ARGUMENTS
  '31': { code: 'INVALID_INPUT' }, // BAD_REQUEST_PARAMS
  '32': { code: 'NOT_FOUND' }, // ITEM_NOT_FOUND
  '33': { code: 'RATE_LIMITED' }, // TOO_MANY_REQUESTS
  '34': { code: 'RATE_LIMITED' }, // TOO_MANY_UPDATES
  '40': { code: 'QUOTA_EXCEEDED' }, // SUBSCRIPTION_VIOLATION
};

/** The answer to an expired or unknown JWT: log in again once and re-send. */
export const JWT_EXPIRED = '11';

export const thingsboardErrors = new ErrorTable({
  provider: 'thingsboard',
  vendorName: 'ThingsBoard',
  codes: BY_ERROR_CODE,
  // Duplicates come as BAD_REQUEST_PARAMS with this text.
  match: (vendor) => (/already exists/i.test(vendor.message ?? '') ? { code: 'ALREADY_EXISTS' } : undefined),
});

export const interpretThingsboard = thingsboardErrors.interpreter({
  readError: (response) => {
    if (response.status < 400) return undefined;
    const body = (response.data ?? {}) as { message?: string; errorCode?: number };
    return body.errorCode !== undefined ? { code: String(body.errorCode), message: body.message } : undefined;
  },
});
