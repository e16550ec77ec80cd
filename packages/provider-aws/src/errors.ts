import { ErrorTable, type HttpResponse, type ProvisioningError, type VendorErrorMapping } from '@provisio/core';

/**
 * AWS IoT's exceptions (the API reference's error lists, the SDK model's error shapes) and what
 * AWS's authentication layer answers before the service sees a call.
 */
export const AWS_ERRORS: Readonly<Record<string, VendorErrorMapping>> = {
  ResourceAlreadyExistsException: { code: 'ALREADY_EXISTS' },
  ResourceNotFoundException: { code: 'NOT_FOUND' },
  // AWS IoT answers a throttle with HTTP 400 (API reference), so the type decides, not the status.
  ThrottlingException: { code: 'RATE_LIMITED', retryable: true },
  TooManyRequestsException: { code: 'RATE_LIMITED', retryable: true },
  UnauthorizedException: { code: 'ACCESS_DENIED' },
  AccessDeniedException: { code: 'ACCESS_DENIED' },
  InvalidRequestException: { code: 'INVALID_INPUT' },
  ValidationException: { code: 'INVALID_INPUT' },
  // A CSR or certificate AWS refuses (bad signature, unsupported key).
  CertificateValidationException: { code: 'INVALID_INPUT' },
  LimitExceededException: { code: 'QUOTA_EXCEEDED' },
  ServiceQuotaExceededException: { code: 'QUOTA_EXCEEDED' },
  ServiceUnavailableException: { code: 'UNAVAILABLE', retryable: true },
  InternalFailureException: { code: 'UNAVAILABLE', retryable: true },
  InternalException: { code: 'UNAVAILABLE', retryable: true },
  InternalServerException: { code: 'UNAVAILABLE', retryable: true },
  // Another update of the same resource is in flight: it settles, so a retry can succeed.
  ConflictingResourceUpdateException: { code: 'UNAVAILABLE', retryable: true },
  // Deleting something still attached, or a certificate in the wrong state for the call: the
  // provider's step order rules these out, so one means someone else changed the resource.
  DeleteConflictException: { code: 'INTERNAL' },
  CertificateStateException: { code: 'INTERNAL' },
  VersionConflictException: { code: 'INTERNAL' },
  CertificateConflictException: { code: 'ALREADY_EXISTS' },
  // SigV4 and key checks (HTTP 403).
  InvalidSignatureException: { code: 'AUTHENTICATION_FAILED' },
  SignatureDoesNotMatch: { code: 'AUTHENTICATION_FAILED' },
  IncompleteSignatureException: { code: 'AUTHENTICATION_FAILED' },
  MissingAuthenticationTokenException: { code: 'AUTHENTICATION_FAILED' },
  UnrecognizedClientException: { code: 'AUTHENTICATION_FAILED' },
  InvalidClientTokenId: { code: 'AUTHENTICATION_FAILED' },
  ExpiredTokenException: { code: 'AUTHENTICATION_FAILED' },
  RequestExpired: { code: 'AUTHENTICATION_FAILED' },
};

export const awsErrorTable = new ErrorTable({ provider: 'aws', vendorName: 'AWS IoT', codes: AWS_ERRORS });

/**
 * The error type of an answer as the SDK's restJson1 deserialiser reads it: the x-amzn-ErrorType
 * header ("Type" or "Type:uri"), else the body's `__type` ("namespace#Type") or `code`.
 */
export function awsErrorType(headers: Record<string, string>, data: unknown): string | undefined {
  const body = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const raw = headers['x-amzn-errortype'] ?? (typeof body.__type === 'string' ? body.__type : typeof body.code === 'string' ? body.code : undefined);
  if (!raw) return undefined;
  const type = raw.split(':')[0] as string;
  return type.includes('#') ? type.slice(type.lastIndexOf('#') + 1) : type;
}

/** AWS puts errors only on non-2xx answers. */
function readAwsError(response: HttpResponse): { code: string; message?: string; requestId?: string } | undefined {
  if (response.status >= 200 && response.status < 300) return undefined;
  const code = awsErrorType(response.headers, response.data);
  if (!code) return undefined;
  const body = (response.data && typeof response.data === 'object' ? response.data : {}) as Record<string, unknown>;
  const message = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : undefined;
  return { code, message, requestId: response.headers['x-amzn-requestid'] };
}

export const interpretAwsResponse = awsErrorTable.interpreter({ readError: readAwsError });

/** "Signature expired" / "not yet current": the clock is off, not the key. */
export function isClockSkew(error: ProvisioningError): boolean {
  return error.vendorCode === 'InvalidSignatureException' && /Signature expired|not yet current/i.test(error.vendorMessage ?? '');
}
