import * as ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ProvisioningError } from '../errors/provisioning-error.js';

// ajv is CommonJS; under NodeNext the default import is `module.exports`, whose `default` is the class.
const Ajv2020 = ajv2020Module.default.default ?? ajv2020Module.default;

/** A JSON Schema (2020-12) document. */
export type JsonSchema = Record<string, unknown>;

const ajv = new Ajv2020({ strict: true, allErrors: false, allowUnionTypes: true, discriminator: true });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function compile(schema: JsonSchema): ValidateFunction {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const fn = ajv.compile(schema);
  compiled.set(schema, fn);
  return fn;
}

/** Where validation happens, for the error's context. */
export interface ValidationContext {
  provider?: string;
  operation?: string;
  /** Prefix for field names, e.g. "config" or "instances.prod.config". */
  subject?: string;
}

/** Throws INVALID_INPUT naming the first field and rule that failed; returns the value typed. */
export function assertValid<T>(schema: JsonSchema, value: unknown, context: ValidationContext = {}): T {
  const validate = compile(schema);
  if (validate(value)) return value as T;
  const first = (validate.errors ?? [])[0];
  throw validationError(first, context);
}

/** Checks a schema document against the JSON Schema 2020-12 meta-schema (slow: tests and tools). */
export function assertSchemaDocument(schema: JsonSchema, subject = 'schema'): void {
  const checker = new Ajv2020({ strict: true, allowUnionTypes: true, discriminator: true });
  if (!checker.validateSchema(schema)) {
    const first = (checker.errors ?? [])[0];
    throw new ProvisioningError({
      code: 'INVALID_INPUT',
      message: `${subject} is not a valid JSON Schema 2020-12 document: ${first?.instancePath || '(root)'} ${first?.message ?? ''}`.trim(),
      field: subject,
      rule: 'schema',
      retryable: false,
    });
  }
}

/** Compiles a schema early (at plugin load), so a broken schema fails at start, not mid-run. */
export function checkSchema(schema: JsonSchema): void {
  compile(schema);
}

function validationError(error: ErrorObject | undefined, context: ValidationContext): ProvisioningError {
  const field = error ? fieldOf(error) : '';
  const rule = error?.keyword ?? 'unknown';
  const where = [context.subject, field].filter(Boolean).join('.') || '(root)';
  const reason = error ? describe(error) : 'is invalid';
  return new ProvisioningError({
    code: 'INVALID_INPUT',
    message: `Invalid ${where}: ${reason} (rule: ${rule})`,
    provider: context.provider,
    operation: context.operation,
    field: where,
    rule,
    retryable: false,
  });
}

/** Turns ajv's JSON pointer (+ the missing/extra property) into a dotted field name. */
function fieldOf(error: ErrorObject): string {
  const parts = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') parts.push(params.missingProperty);
  if (error.keyword === 'discriminator' && typeof params.tag === 'string') parts.push(params.tag);
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string')
    parts.push(params.additionalProperty);
  return parts.join('.');
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'pattern':
      // The pattern is safe to show; the value is not (it may be a secret).
      return `must match ${String(params.pattern)}`;
    default:
      return error.message ?? 'is invalid';
  }
}
