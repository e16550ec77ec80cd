import { ERROR_CODES, isRetryableByDefault, type ErrorCode } from './error-codes.js';
import { patternRedactor, type Redactor } from './redactor.js';

export interface ProvisioningErrorOptions {
  code: ErrorCode;
  message: string;
  provider?: string;
  operation?: string;
  /** The vendor's own error code, kept verbatim (e.g. Huawei "100426", Tencent "AuthFailure.SignatureExpire"). */
  vendorCode?: string;
  /** The vendor's own message (redacted before it is stored). */
  vendorMessage?: string;
  httpStatus?: number;
  requestId?: string;
  retryable?: boolean;
  /** For INVALID_INPUT: the JSON pointer of the field that failed, and the rule. */
  field?: string;
  rule?: string;
  /** Non-secret facts that help the caller decide what to do (device state after a partial failure...). */
  details?: Record<string, unknown>;
  /**
   * Anything the cloud already issued before the failure (credentials). Kept on a
   * non-enumerable property: reachable by code, never serialised, logged or put in a message.
   */
  recovered?: unknown;
  /** Redacts message text; defaults to the pattern-only redactor. */
  redactor?: Redactor;
  cause?: unknown;
}

/** What `toJSON()` returns: the error as plain, secret-free data. */
export interface ProvisioningErrorJSON {
  name: 'ProvisioningError';
  code: ErrorCode;
  message: string;
  provider?: string;
  operation?: string;
  vendorCode?: string;
  vendorMessage?: string;
  httpStatus?: number;
  requestId?: string;
  retryable: boolean;
  field?: string;
  rule?: string;
  details?: Record<string, unknown>;
  hasRecoveredCredentials: boolean;
}

/**
 * The only error provisio throws. `code` is stable and comes from {@link ERROR_CODES}.
 * Everything textual is redacted at construction, so `message`, `stack` and `toJSON()`
 * cannot carry a secret the redactor knows about or recognises by pattern.
 */
export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';
  readonly code: ErrorCode;
  readonly provider?: string;
  readonly operation?: string;
  readonly vendorCode?: string;
  readonly vendorMessage?: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly field?: string;
  readonly rule?: string;
  readonly details?: Record<string, unknown>;
  /** Like aws-sdk's `$metadata`: transport facts about the failed call. */
  readonly $metadata: { httpStatusCode?: number; requestId?: string; attempts?: number };
  declare readonly recovered?: unknown;

  constructor(options: ProvisioningErrorOptions) {
    const redactor = options.redactor ?? patternRedactor;
    super(redactor.redact(options.message));
    this.code = options.code;
    if (options.provider !== undefined) this.provider = options.provider;
    if (options.operation !== undefined) this.operation = options.operation;
    if (options.vendorCode !== undefined) this.vendorCode = options.vendorCode;
    if (options.vendorMessage !== undefined) this.vendorMessage = redactor.redact(options.vendorMessage);
    if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    this.retryable = options.retryable ?? isRetryableByDefault(options.code);
    if (options.field !== undefined) this.field = options.field;
    if (options.rule !== undefined) this.rule = options.rule;
    if (options.details !== undefined) this.details = redactor.redactValue(options.details);
    this.$metadata = { httpStatusCode: options.httpStatus, requestId: options.requestId };
    Object.defineProperty(this, 'recovered', {
      value: options.recovered,
      enumerable: false,
      writable: false,
    });
    if (options.cause !== undefined) {
      // util.inspect prints a cause even when it is not enumerable, and a raw transport error
      // carries request headers and bodies: only a redacted copy of a foreign error is kept.
      Object.defineProperty(this, 'cause', { value: sanitiseCause(options.cause, redactor), enumerable: false });
    }
  }

  /** A copy with context added (provider/operation), used when an error crosses a layer. */
  withContext(context: { provider?: string; operation?: string; attempts?: number; redactor?: Redactor }): ProvisioningError {
    const copy = new ProvisioningError({
      ...this.toOptions(),
      provider: this.provider ?? context.provider,
      operation: this.operation ?? context.operation,
      redactor: context.redactor,
    });
    copy.$metadata.attempts = context.attempts ?? this.$metadata.attempts;
    // The stack is the original one, with the (re-)redacted message as its header line.
    copy.stack = `${copy.name}: ${copy.message}\n${(this.stack ?? '').split('\n').slice(1).join('\n')}`;
    return copy;
  }

  toOptions(): ProvisioningErrorOptions {
    return {
      code: this.code,
      message: this.message,
      provider: this.provider,
      operation: this.operation,
      vendorCode: this.vendorCode,
      vendorMessage: this.vendorMessage,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      retryable: this.retryable,
      field: this.field,
      rule: this.rule,
      details: this.details,
      recovered: this.recovered,
    };
  }

  toJSON(): ProvisioningErrorJSON {
    const json: ProvisioningErrorJSON = {
      name: 'ProvisioningError',
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      hasRecoveredCredentials: this.recovered !== undefined,
    };
    if (this.provider !== undefined) json.provider = this.provider;
    if (this.operation !== undefined) json.operation = this.operation;
    if (this.vendorCode !== undefined) json.vendorCode = this.vendorCode;
    if (this.vendorMessage !== undefined) json.vendorMessage = this.vendorMessage;
    if (this.httpStatus !== undefined) json.httpStatus = this.httpStatus;
    if (this.requestId !== undefined) json.requestId = this.requestId;
    if (this.field !== undefined) json.field = this.field;
    if (this.rule !== undefined) json.rule = this.rule;
    if (this.details !== undefined) json.details = this.details;
    return json;
  }

  static describe(code: ErrorCode): string {
    return ERROR_CODES[code];
  }
}

function sanitiseCause(cause: unknown, redactor: Redactor): unknown {
  if (cause instanceof ProvisioningError) return cause;
  const safe = new Error(redactor.redact(cause instanceof Error ? cause.message : String(cause)));
  safe.name = cause instanceof Error ? cause.name : 'Error';
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string') Object.assign(safe, { code });
  safe.stack = `${safe.name}: ${safe.message}`;
  return safe;
}

export function isProvisioningError(value: unknown): value is ProvisioningError {
  return value instanceof ProvisioningError || (value instanceof Error && value.name === 'ProvisioningError');
}
