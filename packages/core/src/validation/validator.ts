import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import { invalidInput } from '../errors/invalid-input.js';
import type { ProvisioningError } from '../errors/provisioning-error.js';

/** A JSON Schema (2020-12) document. */
export type JsonSchema = Record<string, unknown>;

/** The ajv options every validator is built with (the build-time precompilation uses them too). */
export const AJV_OPTIONS: Options = { strict: true, allErrors: false, allowUnionTypes: true, discriminator: true };

type Ajv2020Class = typeof Ajv2020Module.default.default;

/**
 * ajv is loaded only for a schema without a precompiled validator: loading it and its first
 * compilation cost ~90 ms, which the built-in schemas avoid (scripts/precompile-schemas.mjs).
 */
function newAjv(options: Options): InstanceType<Ajv2020Class> {
  const module = createRequire(import.meta.url)('ajv/dist/2020.js') as { default: Ajv2020Class };
  return new module.default(options);
}

let ajv: InstanceType<Ajv2020Class> | undefined;
const compiled = new WeakMap<JsonSchema, ValidateFunction>();
/** Validators generated at build time (ajv standalone code), by schema `$id`. */
const precompiled = new Map<string, ValidateFunction>();

/**
 * The key of a precompiled validator: the schema's `$id` and a hash of its content, so a
 * validator built from an older version of a schema is never used for a newer one.
 */
export function precompiledKey(schema: JsonSchema): string | undefined {
  if (typeof schema.$id !== 'string') return undefined;
  return `${schema.$id}#${createHash('sha1').update(JSON.stringify(schema)).digest('hex').slice(0, 16)}`;
}

/** Registers build-time validators (keyed by `precompiledKey`). */
export function registerPrecompiledValidators(validators: Record<string, unknown>): void {
  for (const [key, fn] of Object.entries(validators)) if (typeof fn === 'function') precompiled.set(key, fn as ValidateFunction);
}

/**
 * Loads a package's generated validators (a CommonJS file, so a package entry loads them without
 * top-level await and stays loadable with `require()`); when the build produced none, ajv compiles
 * each schema on first use.
 */
export function loadPrecompiledValidators(url: URL): void {
  // Read on the first validation, not at import: the file and ajv's runtime helpers it requires
  // (CommonJS) were a measurable part of `import('@provisio/core')`.
  pendingValidatorFiles.push(url);
}

/** Generated validator files registered but not read yet. */
const pendingValidatorFiles: URL[] = [];

function readPendingValidators(): void {
  for (const url of pendingValidatorFiles.splice(0)) {
    let validators: Record<string, unknown>;
    try {
      validators = createRequire(url)(fileURLToPath(url)) as Record<string, unknown>;
    } catch {
      continue; // not generated
    }
    registerPrecompiledValidators(validators);
  }
}

function compile(schema: JsonSchema): ValidateFunction {
  const cached = compiled.get(schema);
  if (cached) return cached;
  if (pendingValidatorFiles.length > 0) readPendingValidators();
  const key = precompiledKey(schema);
  const fn = (key ? precompiled.get(key) : undefined) ?? (ajv ??= newAjv(AJV_OPTIONS)).compile(schema);
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
  const checker = newAjv(AJV_OPTIONS);
  if (!checker.validateSchema(schema)) {
    const first = (checker.errors ?? [])[0];
    throw invalidInput({
      message: `${subject} is not a valid JSON Schema 2020-12 document: ${first?.instancePath || '(root)'} ${first?.message ?? ''}`.trim(),
      field: subject,
      rule: 'schema',
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
  return invalidInput({ message: `Invalid ${where}: ${reason} (rule: ${rule})`, provider: context.provider, operation: context.operation, field: where, rule });
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
