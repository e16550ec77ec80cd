import { ProvisioningError, type ErrorCode, type HttpResponse, type ResponseInterpreter } from '@provisio/core';

interface VendorError {
  code: ErrorCode;
  retryable?: boolean;
}

/** Every code in the vendor notes (both faces), mapped to core codes. */
export const TENCENT_ERRORS: Readonly<Record<string, VendorError>> = {
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
const PREFIXES: ReadonlyArray<[string, VendorError]> = [
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

export function mapTencentCode(vendorCode: string): VendorError {
  return TENCENT_ERRORS[vendorCode] ?? PREFIXES.find(([prefix]) => vendorCode.startsWith(prefix))?.[1] ?? { code: 'INTERNAL' };
}

interface ResponseEnvelope {
  Response?: { Error?: { Code?: string; Message?: string }; RequestId?: string };
  /** The legacy /register/dev shape. */
  code?: number;
  message?: string;
}

/** Both faces answer HTTP 200 with `Response.Error` on failure. */
export const interpretTencentResponse: ResponseInterpreter = (response: HttpResponse, request) => {
  const envelope = response.data as ResponseEnvelope | undefined;
  const vendor = envelope?.Response?.Error;
  const requestId = envelope?.Response?.RequestId;
  if (vendor?.Code) {
    const mapped = mapTencentCode(vendor.Code);
    return new ProvisioningError({
      code: mapped.code,
      message: `Tencent IoT Explorer error ${vendor.Code}: ${vendor.Message ?? ''}`.trim(),
      provider: 'tencent',
      operation: request.operation,
      vendorCode: vendor.Code,
      vendorMessage: vendor.Message,
      httpStatus: response.status,
      requestId,
      retryable: mapped.retryable,
    });
  }
  if (response.status >= 200 && response.status < 300 && envelope?.Response) return undefined;
  const status = response.status;
  const code: ErrorCode =
    status >= 500 ? 'UNAVAILABLE' : status === 429 ? 'RATE_LIMITED' : status === 401 || status === 403 ? 'AUTHENTICATION_FAILED' : 'INTERNAL';
  return new ProvisioningError({
    code,
    message:
      status >= 200 && status < 300
        ? `Tencent answered ${request.method} ${request.url.pathname} with a body that is not a Cloud API response`
        : `Tencent answered HTTP ${status}`,
    provider: 'tencent',
    operation: request.operation,
    httpStatus: status,
    requestId,
    retryable: code === 'UNAVAILABLE' || code === 'RATE_LIMITED',
  });
};
