import { ProvisioningError, type ErrorCode, type ResponseInterpreter } from '@provisio/core';

/** ThingsBoard's `ThingsboardErrorCode` values (REST error body `{status, message, errorCode}`). */
const BY_ERROR_CODE: Record<number, ErrorCode> = {
  2: 'INTERNAL', // GENERAL
  10: 'AUTHENTICATION_FAILED', // AUTHENTICATION
  11: 'AUTHENTICATION_FAILED', // JWT_TOKEN_EXPIRED
  15: 'AUTHENTICATION_FAILED', // CREDENTIALS_EXPIRED
  20: 'ACCESS_DENIED', // PERMISSION_DENIED
  30: 'INVALID_INPUT', // INVALID_ARGUMENTS
  31: 'INVALID_INPUT', // BAD_REQUEST_PARAMS
  32: 'NOT_FOUND', // ITEM_NOT_FOUND
  33: 'RATE_LIMITED', // TOO_MANY_REQUESTS
  34: 'RATE_LIMITED', // TOO_MANY_UPDATES
  40: 'QUOTA_EXCEEDED', // SUBSCRIPTION_VIOLATION
};

export const JWT_EXPIRED = 11;

export const interpretThingsboard: ResponseInterpreter = (response, request) => {
  if (response.status >= 200 && response.status < 300) {
    if (response.text && response.data === undefined) {
      return new ProvisioningError({ code: 'INTERNAL', message: 'ThingsBoard answered with a body that is not JSON', provider: 'thingsboard', operation: request.operation, httpStatus: response.status, retryable: false });
    }
    return undefined;
  }
  const body = (response.data ?? {}) as { message?: string; errorCode?: number };
  let code: ErrorCode = body.errorCode !== undefined ? (BY_ERROR_CODE[body.errorCode] ?? 'INTERNAL') : 'INTERNAL';
  if (body.errorCode === undefined) {
    if (response.status === 429) code = 'RATE_LIMITED';
    else if (response.status >= 500) code = 'UNAVAILABLE';
    else if (response.status === 401) code = 'AUTHENTICATION_FAILED';
    else if (response.status === 404) code = 'NOT_FOUND';
  }
  // Duplicates come as BAD_REQUEST_PARAMS with this text.
  if (/already exists/i.test(body.message ?? '')) code = 'ALREADY_EXISTS';
  if (code === 'INTERNAL' && response.status >= 500) code = 'UNAVAILABLE';
  return new ProvisioningError({
    code,
    message: `ThingsBoard error${body.errorCode !== undefined ? ` ${body.errorCode}` : ''}: ${body.message ?? `HTTP ${response.status}`}`,
    provider: 'thingsboard',
    operation: request.operation,
    vendorCode: body.errorCode !== undefined ? String(body.errorCode) : undefined,
    vendorMessage: body.message,
    httpStatus: response.status,
  });
};
