import { ProvisioningError, type ErrorCode, type HttpResponse, type ResponseInterpreter } from '@provisio/core';

interface VendorError {
  code: ErrorCode;
  retryable?: boolean;
}

/**
 * Every OceanConnect error code from seeds 000-003 and the vendor notes (delete, refresh,
 * device query), mapped to core codes. The vendor code is always kept on the error.
 */
export const HUAWEI_ERRORS: Readonly<Record<string, VendorError>> = {
  // seed 000 (register); 103028 comes with HTTP 200
  '103028': { code: 'QUOTA_EXCEEDED' }, // the license pool resources are used up
  '100003': { code: 'INVALID_INPUT' }, // invalid verify code
  '100007': { code: 'INVALID_INPUT' }, // bad request message
  '100416': { code: 'ALREADY_EXISTS' }, // the device has already been bound
  '100426': { code: 'ALREADY_EXISTS' }, // the nodeId is duplicated
  '50400': { code: 'INVALID_INPUT' }, // the input is invalid
  '100025': { code: 'AUTHENTICATION_FAILED' }, // appId for auth does not exist
  '100203': { code: 'ACCESS_DENIED' }, // the application does not exist (403, and 500)
  '100217': { code: 'ACCESS_DENIED' }, // the application has not been authorised
  '1010009': { code: 'RATE_LIMITED', retryable: true }, // app throttle exceeded
  '1010005': { code: 'AUTHENTICATION_FAILED' }, // app_key or access token invalid
  '600002': { code: 'NOT_FOUND' }, // the product does not exist
  '100001': { code: 'UNAVAILABLE', retryable: true }, // internal server error
  '100412': { code: 'QUOTA_EXCEEDED' }, // device count limit of the app reached
  '100441': { code: 'QUOTA_EXCEEDED' }, // non-secure device limit reached
  '103026': { code: 'INTERNAL' }, // the license does not exist (platform-internal)
  '50252': { code: 'UNAVAILABLE', retryable: true }, // internal server error
  // seed 001 / 002 / delete / device query
  '100403': { code: 'NOT_FOUND' }, // the device does not exist
  '100418': { code: 'NOT_FOUND' }, // the device data does not exist
  '100610': { code: 'DEVICE_NOT_ACTIVE' }, // the device has not been activated
  '100611': { code: 'DEVICE_ONLINE' }, // the device is online
  // seed 003 (login) and refresh
  '100449': { code: 'ACCESS_DENIED' }, // the user has no permission (frozen)
  '102202': { code: 'INVALID_INPUT' }, // a required parameter is empty
  '100208': { code: 'AUTHENTICATION_FAILED' }, // appId, secret or refresh token wrong
  '100247': { code: 'ACCESS_DENIED' }, // the app is frozen
};

function codeForStatus(status: number): ErrorCode {
  if (status === 400) return 'INVALID_INPUT';
  if (status === 401) return 'AUTHENTICATION_FAILED';
  if (status === 403) return 'ACCESS_DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'ALREADY_EXISTS';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408 || status === 504) return 'TIMEOUT';
  if (status >= 500) return 'UNAVAILABLE';
  return 'INTERNAL';
}

/** Reads either error body shape: business `error_code/error_desc` or gateway `resultcode/resultmsg`. */
export function vendorErrorOf(data: unknown): { code: string; message: string } | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const body = data as Record<string, unknown>;
  const code = body.error_code ?? body.resultcode;
  if (code === undefined || code === null || code === '') return undefined;
  const message = body.error_desc ?? body.resultmsg ?? '';
  return { code: String(code), message: String(message) };
}

export function huaweiError(
  vendor: { code: string; message: string },
  context: { httpStatus: number; operation?: string },
): ProvisioningError {
  const known = HUAWEI_ERRORS[vendor.code];
  const code = known?.code ?? codeForStatus(context.httpStatus);
  return new ProvisioningError({
    code,
    message: `OceanConnect error ${vendor.code}${vendor.message ? `: ${vendor.message}` : ''} (HTTP ${context.httpStatus})`,
    provider: 'huawei',
    operation: context.operation,
    vendorCode: vendor.code,
    vendorMessage: vendor.message,
    httpStatus: context.httpStatus,
    retryable: known?.retryable,
  });
}

/** The HTTP layer's interpreter for OceanConnect answers (errors may come with HTTP 200). */
export const interpretHuaweiResponse: ResponseInterpreter = (response: HttpResponse, request) => {
  const vendor = vendorErrorOf(response.data);
  if (vendor) return huaweiError(vendor, { httpStatus: response.status, operation: request.operation });
  if (response.status >= 200 && response.status < 300) {
    if (response.status !== 204 && response.text.trim() !== '' && response.data === undefined) {
      return new ProvisioningError({
        code: 'INTERNAL',
        message: `OceanConnect answered ${request.method} ${request.url.pathname} with a body that is not JSON`,
        provider: 'huawei',
        operation: request.operation,
        httpStatus: response.status,
        retryable: false,
      });
    }
    return undefined;
  }
  return new ProvisioningError({
    code: codeForStatus(response.status),
    message: `OceanConnect answered HTTP ${response.status} without an error code`,
    provider: 'huawei',
    operation: request.operation,
    httpStatus: response.status,
  });
};
