import type { ErrorCode } from '../errors/error-codes.js';
import { isProvisioningError, ProvisioningError } from '../errors/provisioning-error.js';
import type { Redactor } from '../errors/redactor.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/http-client.js';

/** The wire half of a request: what `serialize` returns (the command states the rest). */
export type CommandRequest = Omit<HttpRequest, 'operation' | 'idempotent' | 'doneOnRepeatIf'>;

/** What a command's `deserialize` may use besides the answer. */
export interface CommandContext {
  /** The instance's redactor: register every secret the answer issues before returning it. */
  redactor: Redactor;
}

/**
 * One vendor operation (like a smithy command): how its input becomes a request, how the answer
 * becomes its output, and whether it can safely be sent twice. The HTTP client's retry policy
 * reads `idempotent`: a command that is not is never re-sent once it may have reached the server.
 */
export interface Command<Input, Output> {
  /** The vendor's name for the call, e.g. "CreateDevice" or "POST deviceCredentials". */
  readonly name: string;
  readonly idempotent: boolean;
  /** Answers that, to a repeat after a lost answer, mean the earlier attempt did the job. */
  readonly doneOnRepeatIf?: readonly ErrorCode[];
  /** A new object on every call: `sendCommand` completes it in place (operation, idempotent). */
  serialize(input: Input): CommandRequest;
  /** Default: the answer's parsed body as it is (reads whose caller needs it whole, deletes). */
  deserialize?(response: HttpResponse, input: Input, context: CommandContext): Output;
}

/** Identity function that gives a command its types. */
export function defineCommand<Input, Output>(command: Command<Input, Output>): Command<Input, Output> {
  return command;
}

/**
 * Sends a command for a contract operation (the errors and logs say which). A malformed answer
 * (a deserializer's error) gets the provider and operation too.
 *
 * Runs on every call, so it allocates nothing of its own: `serialize` returns a fresh object per
 * call (every command builds one), which is completed in place rather than copied, and the client
 * itself is the deserializer's context (it carries the instance's `redactor`).
 */
export async function sendCommand<Input, Output>(
  client: HttpClient,
  command: Command<Input, Output>,
  input: Input,
  operation: string,
): Promise<Output> {
  const request = command.serialize(input) as HttpRequest;
  request.operation = operation;
  request.idempotent = command.idempotent;
  request.doneOnRepeatIf = command.doneOnRepeatIf;
  const response = await client.send(request);
  if (!command.deserialize) return response.data as Output;
  try {
    return command.deserialize(response, input, client);
  } catch (error) {
    if (!isProvisioningError(error)) throw error;
    throw (error as ProvisioningError).withContext({ provider: client.provider, operation, attempts: response.attempts, redactor: client.redactor });
  }
}

/**
 * The answer's body as an object holding `fields` as strings; otherwise an INTERNAL error
 * ("answer lacks ...", not retried: the same call would get the same answer).
 */
export function requireFields<T>(data: unknown, fields: readonly string[], what: string): T {
  const record = data as Record<string, unknown> | undefined;
  let complete = !!record && typeof record === 'object';
  // A plain loop: this runs on every answer, the list of what is missing only on a bad one.
  for (let i = 0; complete && i < fields.length; i++) complete = typeof record![fields[i]!] === 'string';
  if (!complete) {
    const missing = fields.filter((f) => typeof record?.[f] !== 'string');
    throw malformedAnswer(`${what} lacks ${missing.join(', ') || 'a body'}`);
  }
  return record as T;
}

/** A well-formed answer that does not say what the vendor documents: INTERNAL, not retried. */
export function malformedAnswer(message: string, details?: { requestId?: string }): ProvisioningError {
  return new ProvisioningError({ code: 'INTERNAL', message, retryable: false, requestId: details?.requestId });
}
