import type { ErrorCode } from '../errors/error-codes.js';
import { ProvisioningError } from '../errors/provisioning-error.js';
import type { HttpResponse, PreparedRequest, ResponseInterpreter } from '../http/http-client.js';

/** What one vendor error code means in provisio's terms. */
export interface VendorErrorMapping {
  code: ErrorCode;
  /** Overrides the code's default (only RATE_LIMITED, TIMEOUT and UNAVAILABLE retry by default). */
  retryable?: boolean;
}

/** A vendor error as read from an answer body. */
export interface VendorError {
  code: string;
  message?: string;
  requestId?: string;
}

/**
 * The one HTTP-status family map, for answers that carry no vendor code the table knows
 * (a gateway's bare 403, a proxy's 504). Every provider falls back to this same map.
 */
export function codeForHttpStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'INVALID_INPUT';
  if (status === 401) return 'AUTHENTICATION_FAILED';
  if (status === 403) return 'ACCESS_DENIED';
  if (status === 404 || status === 410) return 'NOT_FOUND';
  if (status === 409) return 'ALREADY_EXISTS';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408 || status === 504) return 'TIMEOUT';
  if (status >= 500) return 'UNAVAILABLE';
  return 'INTERNAL';
}

export interface ErrorTableOptions {
  /** The provider id errors carry. */
  provider: string;
  /** How messages name the cloud, e.g. "OceanConnect". */
  vendorName: string;
  /** Every vendor code the vendor's documentation lists, mapped. */
  codes: Readonly<Record<string, VendorErrorMapping>>;
  /** Families by prefix for codes the table does not name (checked in order). */
  prefixes?: ReadonlyArray<readonly [string, VendorErrorMapping]>;
  /** Rules on the whole vendor error (its message), checked before the table. */
  match?(vendor: VendorError): VendorErrorMapping | undefined;
}

export interface InterpreterOptions {
  /** Reads the vendor's error from an answer (it may come with HTTP 200); undefined when there is none. */
  readError(response: HttpResponse): VendorError | undefined;
  /**
   * Is a 2xx answer without a vendor error a well-formed success? Default: no body, or a JSON one.
   * Otherwise it fails as INTERNAL (a proxy's HTML page is not an answer).
   */
  isWellFormed?(response: HttpResponse): boolean;
  /** Names what a well-formed body is, for that message. Default "JSON". */
  expected?: string;
}

/**
 * A vendor's error table: maps its codes onto provisio's small set (the vendor code and message
 * are always kept on the error), falls back on the shared HTTP-status map, and builds the
 * HTTP layer's response interpreter.
 */
export class ErrorTable {
  constructor(private readonly options: ErrorTableOptions) {}

  get provider(): string {
    return this.options.provider;
  }

  /** The mapping of a vendor code by the table or its prefixes; undefined when neither knows it. */
  lookup(vendorCode: string): VendorErrorMapping | undefined {
    return this.options.codes[vendorCode] ?? this.options.prefixes?.find(([prefix]) => vendorCode.startsWith(prefix))?.[1];
  }

  /** The typed error for a vendor error answer. */
  error(vendor: VendorError, context: { httpStatus: number; operation?: string }): ProvisioningError {
    const known = this.options.match?.(vendor) ?? this.lookup(vendor.code);
    return new ProvisioningError({
      code: known?.code ?? codeForHttpStatus(context.httpStatus),
      message: `${this.options.vendorName} error ${vendor.code}${vendor.message ? `: ${vendor.message}` : ''} (HTTP ${context.httpStatus})`,
      provider: this.options.provider,
      operation: context.operation,
      vendorCode: vendor.code,
      vendorMessage: vendor.message,
      httpStatus: context.httpStatus,
      requestId: vendor.requestId,
      retryable: known?.retryable,
    });
  }

  /** The typed error for an answer that carries no vendor error: the HTTP-status family. */
  statusError(response: HttpResponse, request: PreparedRequest, requestId?: string): ProvisioningError {
    return new ProvisioningError({
      code: codeForHttpStatus(response.status),
      message: `${this.options.vendorName} answered HTTP ${response.status} without an error code`,
      provider: this.options.provider,
      operation: request.operation,
      httpStatus: response.status,
      requestId,
    });
  }

  /** The HTTP layer's interpreter: vendor error first (even with 2xx), then the status family. */
  interpreter(options: InterpreterOptions): ResponseInterpreter {
    const wellFormed = options.isWellFormed ?? jsonOrEmpty;
    return (response, request) => {
      const vendor = options.readError(response);
      if (vendor) return this.error(vendor, { httpStatus: response.status, operation: request.operation });
      if (response.status < 200 || response.status >= 300) return this.statusError(response, request);
      if (wellFormed(response)) return undefined;
      return new ProvisioningError({
        code: 'INTERNAL',
        message: `${this.options.vendorName} answered ${request.method} ${request.url.pathname} with a body that is not ${options.expected ?? 'JSON'}`,
        provider: this.options.provider,
        operation: request.operation,
        httpStatus: response.status,
        retryable: false,
      });
    };
  }
}

function jsonOrEmpty(response: HttpResponse): boolean {
  return response.status === 204 || response.text.trim() === '' || response.data !== undefined;
}
