import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeJsonSyntaxError, invalidInput, resolveEnvReferences, type ProvisioningError, type InstanceConfig } from '@provisio/core';

export const DEFAULT_CONFIG_FILE = 'provisio.config.json';

function configError(file: string, message: string, field = ''): ProvisioningError {
  return invalidInput({ message: `${file}: ${message}`, field: field || file, rule: 'config' });
}

/** A configuration file read and checked for shape; `${ENV}` references are still unresolved. */
export interface LoadedConfig {
  file: string;
  /** Instance names mapped to their plugin and (unresolved) config, in file order. */
  instances: Record<string, InstanceConfig & { plugin: string }>;
  /** `{"redis": "${PROVISIO_REDIS_URL}"}`: one token and one budget per cloud app across processes (unresolved). */
  coordination?: Record<string, unknown>;
}

/**
 * Reads provisio.config.json (or --config PATH): `{"instances": {"name": {"plugin", "config"}}}`.
 * Environment references are resolved per instance (`resolveInstance`), so a variable missing for
 * one instance does not break commands for the others. Errors name the file, the field and the fix.
 */
export function loadConfig(path?: string): LoadedConfig {
  const file = resolve(path ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    throw configError(
      file,
      path
        ? 'file not found; check the --config path'
        : `no ${DEFAULT_CONFIG_FILE} in this directory; create one (try "provisio simulate --write-config ${DEFAULT_CONFIG_FILE}") or pass --config PATH`,
    );
  }
  if (statSync(file).isDirectory()) throw configError(file, 'is a directory; pass the configuration file itself (e.g. --config DIR/provisio.config.json)');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw configError(file, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // Never JSON.parse's message: it quotes the text around the error, which may be a secret.
    throw configError(file, `not valid JSON (${describeJsonSyntaxError(text, error)}); fix the syntax`);
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
  const coordination = (raw as { coordination?: unknown }).coordination;
  if (coordination !== undefined && (typeof coordination !== 'object' || coordination === null || typeof (coordination as { redis?: unknown }).redis !== 'string')) {
    throw configError(file, 'coordination must be {"redis": "redis://…"} (e.g. "${PROVISIO_REDIS_URL}")', 'coordination');
  }
  return { file, instances: instances as LoadedConfig['instances'], coordination: coordination as LoadedConfig['coordination'] };
}

/** One instance's entry with its `${ENV}` references resolved; a missing variable names its field. */
export function resolveInstance(loaded: LoadedConfig, name: string, env: NodeJS.ProcessEnv = process.env): InstanceConfig {
  const entry = loaded.instances[name];
  if (!entry) {
    throw invalidInput({
      message: `${loaded.file} has no instance "${name}"; configured: ${Object.keys(loaded.instances).join(', ') || '(none)'}`,
      field: 'instance',
      rule: 'config',
    });
  }
  try {
    return { plugin: entry.plugin, config: resolveEnvReferences(entry.config ?? {}, env, `instances.${name}.config`) };
  } catch (error) {
    const e = error as ProvisioningError;
    // Never a NAME=value example here: the redactor would (rightly) blank the value.
    const simulated = /PROVISIO_[A-Z0-9]+_SECRET/.test(e.message) ? '; for "provisio simulate", load its secrets file: set -a; . ./provisio.env; set +a' : '';
    throw configError(loaded.file, `${e.message}${simulated}`, e.field);
  }
}

/** The `coordination` setting with its `${ENV}` references resolved, or undefined (in-process). */
export function resolveCoordination(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env): { redis: string } | undefined {
  if (!loaded.coordination) return undefined;
  try {
    return resolveEnvReferences(loaded.coordination, env, 'coordination') as { redis: string };
  } catch (error) {
    const e = error as ProvisioningError;
    throw configError(loaded.file, e.message, e.field);
  }
}
