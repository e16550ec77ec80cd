import type { JsonSchema } from '../validation/validator.js';

/**
 * Collects the string values of config fields whose schema is marked `"writeOnly": true`
 * (JSON Schema's annotation for passwords), so they can be registered with a redactor.
 */
export function collectSecrets(schema: JsonSchema | undefined, value: unknown, out: string[] = []): string[] {
  if (!schema || value === undefined || value === null) return out;
  if (schema.writeOnly === true) {
    collectStrings(value, out);
    return out;
  }
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, sub] of Object.entries(properties)) collectSecrets(sub, (value as Record<string, unknown>)[key], out);
  }
  const items = schema.items as JsonSchema | undefined;
  if (items && Array.isArray(value)) for (const item of value) collectSecrets(items, item, out);
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = schema[keyword] as JsonSchema[] | undefined;
    if (branches) for (const branch of branches) collectSecrets(branch, value, out);
  }
  return out;
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Buffer.isBuffer(value)) out.push(value.toString('base64'));
  else if (value && typeof value === 'object') for (const item of Object.values(value)) collectStrings(item, out);
}
