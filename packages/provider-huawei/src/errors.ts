import { ErrorTable, type VendorError, type VendorErrorMapping } from '@provisio/core';

/**
 * Every OceanConnect error code from seeds 000-003 and the vendor notes (delete, refresh,
 * device query), mapped to core codes. The vendor code is always kept on the error.
 */
export const HUAWEI_ERRORS: Readonly<Record<string, VendorErrorMapping>> = {
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

/** The gateway's answer to a stale or replaced access token (renew once and re-send). */
export const TOKEN_REJECTED = '1010005';
/** Refresh answers that mean the refresh token will not do (VENDOR-NOTES): only a login helps. */
export const REFRESH_REFUSED: ReadonlySet<string> = new Set(['100208', '102202', '50400']);

export const huaweiErrors = new ErrorTable({ provider: 'huawei', vendorName: 'OceanConnect', codes: HUAWEI_ERRORS });

/** Reads either error body shape: business `error_code/error_desc` or gateway `resultcode/resultmsg`. */
export function vendorErrorOf(data: unknown): VendorError | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const body = data as Record<string, unknown>;
  const code = body.error_code ?? body.resultcode;
  if (code === undefined || code === null || code === '') return undefined;
  const message = body.error_desc ?? body.resultmsg ?? '';
  return { code: String(code), message: String(message) };
}

/** The HTTP layer's interpreter for OceanConnect answers (errors may come with HTTP 200). */
export const interpretHuaweiResponse = huaweiErrors.interpreter({ readError: (response) => vendorErrorOf(response.data) });
