import { ErrorTable, type VendorErrorMapping } from '@provisio/core';

/** Every code in the vendor notes (both faces), mapped to core codes. */
export const TENCENT_ERRORS: Readonly<Record<string, VendorErrorMapping>> = {
  'AuthFailure.SignatureExpire': { code: 'AUTHENTICATION_FAILED' }, // clock more than 5 min off
  'AuthFailure.SignatureFailure': { code: 'AUTHENTICATION_FAILED' },
  'AuthFailure.SecretIdNotFound': { code: 'AUTHENTICATION_FAILED' },
  'AuthFailure.InvalidSecretId': { code: 'AUTHENTICATION_FAILED' },
  'AuthFailure.UnauthorizedOperation': { code: 'ACCESS_DENIED' },
  'InvalidParameterValue.DeviceAlreadyExist': { code: 'ALREADY_EXISTS' },
  'UnsupportedOperation.DeviceDupKeyExist': { code: 'ALREADY_EXISTS' },
  'UnauthorizedOperation.DeviceIsActivated': { code: 'ALREADY_EXISTS' }, // re-registration after first connection
  'ResourceNotFound.DeviceNotExist': { code: 'NOT_FOUND' },
  'ResourceNotFound.ProductNotExist': { code: 'NOT_FOUND' },
  'LimitExceeded.DeviceExceedLimit': { code: 'QUOTA_EXCEEDED' },
  RequestLimitExceeded: { code: 'RATE_LIMITED', retryable: true },
  'UnauthorizedOperation.ProductNotSupportPSK': { code: 'UNSUPPORTED' },
  InvalidParameter: { code: 'INVALID_INPUT' },
  InvalidParameterValue: { code: 'INVALID_INPUT' },
  InvalidAction: { code: 'UNSUPPORTED' },
  InternalError: { code: 'UNAVAILABLE', retryable: true },
  FailedOperation: { code: 'INTERNAL' },
};

/** Families by prefix, for codes the table does not name (Tencent adds sub-codes freely). */
const PREFIXES: ReadonlyArray<readonly [string, VendorErrorMapping]> = [
  ['AuthFailure.', { code: 'AUTHENTICATION_FAILED' }],
  ['InvalidParameterValue.', { code: 'INVALID_INPUT' }],
  ['InvalidParameter.', { code: 'INVALID_INPUT' }],
  ['MissingParameter', { code: 'INVALID_INPUT' }],
  ['ResourceNotFound.', { code: 'NOT_FOUND' }],
  ['LimitExceeded.', { code: 'QUOTA_EXCEEDED' }],
  ['RequestLimitExceeded.', { code: 'RATE_LIMITED', retryable: true }],
  ['UnauthorizedOperation.', { code: 'ACCESS_DENIED' }],
  ['UnsupportedOperation.', { code: 'UNSUPPORTED' }],
  ['InternalError.', { code: 'UNAVAILABLE', retryable: true }],
  ['ResourceUnavailable', { code: 'UNAVAILABLE', retryable: true }],
  ['FailedOperation.', { code: 'INTERNAL' }],
];

/** The signature's timestamp was more than five minutes off: correct the clock, sign again. */
export const SIGNATURE_EXPIRED = 'AuthFailure.SignatureExpire';

export const tencentErrors = new ErrorTable({ provider: 'tencent', vendorName: 'Tencent IoT Explorer', codes: TENCENT_ERRORS, prefixes: PREFIXES });

interface ResponseEnvelope {
  Response?: { Error?: { Code?: string; Message?: string }; RequestId?: string };
}

/** Both faces answer HTTP 200 with `Response.Error` on failure; a success is a `Response` envelope. */
export const interpretTencentResponse = tencentErrors.interpreter({
  readError: (response) => {
    const envelope = response.data as ResponseEnvelope | undefined;
    const error = envelope?.Response?.Error;
    return error?.Code ? { code: error.Code, message: error.Message, requestId: envelope?.Response?.RequestId } : undefined;
  },
  isWellFormed: (response) => (response.data as ResponseEnvelope | undefined)?.Response !== undefined,
  expected: 'a Cloud API response',
});
