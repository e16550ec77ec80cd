import { invalidInput } from '../errors/invalid-input.js';

/**
 * Replaces `${NAME}` in every string of a JSON value with the environment variable NAME, so
 * configuration files never need to hold a secret. A missing variable is INVALID_INPUT naming
 * the field that refers to it (`where` prefixes the field path, e.g. a file name). The advice
 * names the variable without a `NAME=value` form, which the redactor would rightly treat as a secret.
 */
export function resolveEnvReferences(value: unknown, env: NodeJS.ProcessEnv = process.env, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
      const found = env[name];
      if (found === undefined) {
        throw invalidInput({
          message: `${path || 'value'} refers to the environment variable ${name}, which is not set; set it in the environment (export ${name}) before running`,
          field: path,
          rule: 'env',
        });
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => resolveEnvReferences(item, env, `${path}[${index}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveEnvReferences(item, env, path ? `${path}.${key}` : key)]),
    );
  }
  return value;
}
