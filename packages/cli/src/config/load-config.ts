import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ProvisioningError, resolveEnvReferences, type ProvisionerConfig } from '@provisio/core';

export const DEFAULT_CONFIG_FILE = 'provisio.config.json';

function configError(file: string, message: string, field = ''): ProvisioningError {
  return new ProvisioningError({ code: 'INVALID_INPUT', message: `${file}: ${message}`, field: field || file, rule: 'config', retryable: false });
}

/**
 * Reads provisio.config.json (or --config PATH): `{"instances": {"name": {"plugin", "config"}}}`,
 * with `${ENV_VAR}` references resolved. Errors name the file, the field and the fix.
 */
export function loadConfig(path?: string, env: NodeJS.ProcessEnv = process.env): { file: string; config: ProvisionerConfig } {
  const file = resolve(path ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    throw configError(
      file,
      path
        ? 'file not found; check the --config path'
        : `no ${DEFAULT_CONFIG_FILE} in this directory; create one (try "provisio simulate --write-config ${DEFAULT_CONFIG_FILE}") or pass --config PATH`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw configError(file, `not valid JSON (${error instanceof Error ? error.message : String(error)}); fix the syntax`);
  }
  const instances = (raw as { instances?: unknown } | null)?.instances;
  if (!instances || typeof instances !== 'object' || Array.isArray(instances)) {
    throw configError(file, 'needs an "instances" object, e.g. {"instances": {"huawei": {"plugin": "@provisio/provider-huawei", "config": {...}}}}', 'instances');
  }
  for (const [name, entry] of Object.entries(instances as Record<string, unknown>)) {
    const e = entry as { plugin?: unknown; config?: unknown } | null;
    if (!e || typeof e.plugin !== 'string') {
      throw configError(file, `instances.${name}.plugin must be a plugin package name, e.g. "@provisio/provider-huawei"`, `instances.${name}.plugin`);
    }
    if (e.config !== undefined && (typeof e.config !== 'object' || e.config === null)) {
      throw configError(file, `instances.${name}.config must be an object`, `instances.${name}.config`);
    }
  }
  try {
    return { file, config: resolveEnvReferences(raw, env) as ProvisionerConfig };
  } catch (error) {
    const e = error as ProvisioningError;
    throw configError(file, e.message, e.field);
  }
}
