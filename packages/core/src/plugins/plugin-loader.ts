import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProvisioningError } from '../errors/provisioning-error.js';
import { checkSchema } from '../validation/validator.js';
import { CORE_API_VERSION } from '../version.js';
import type { ProvisioningPlugin } from './plugin.js';

function configError(message: string, field?: string): ProvisioningError {
  return new ProvisioningError({ code: 'INVALID_INPUT', message, field, rule: 'plugin', retryable: false });
}

/**
 * Loads `reflect-metadata` (tsyringe's Reflect polyfill) once: not when core is imported (it was
 * ~23 ms of `import('@provisio/core')`), but before a plugin module or tsyringe is loaded.
 */
export function loadReflectPolyfill(): Promise<unknown> {
  reflectPolyfill ??= import('reflect-metadata');
  return reflectPolyfill;
}
let reflectPolyfill: Promise<unknown> | undefined;

/**
 * Loads a plugin by package name with dynamic `import()`, resolved from `resolveFrom`
 * (the application's directory, as ESLint and Babel resolve theirs).
 */
export async function loadPlugin(packageName: string, resolveFrom: string | string[] = process.cwd()): Promise<ProvisioningPlugin> {
  const roots = Array.isArray(resolveFrom) ? resolveFrom : [resolveFrom];
  let url: string | undefined;
  for (const root of roots) {
    try {
      url = pathToFileURL(createRequire(join(root, '__provisio__.js')).resolve(packageName)).href;
      break;
    } catch {
      /* try the next root */
    }
  }
  if (!url) {
    throw configError(
      `Plugin package "${packageName}" is not installed (looked from ${roots.join(', ')}); install it with "npm install ${packageName}"`,
    );
  }
  // A plugin may import tsyringe at its top, which needs the Reflect polyfill already loaded.
  await loadReflectPolyfill();
  const mod = (await import(url)) as Record<string, unknown>;
  const candidate = (mod.default ?? mod.provisioPlugin) as unknown;
  return checkPlugin(candidate, packageName);
}

/** Checks a plugin object's shape and its core API range; returns it typed. */
export function checkPlugin(candidate: unknown, source: string): ProvisioningPlugin {
  const plugin = candidate as Partial<ProvisioningPlugin> | undefined;
  if (
    !plugin ||
    typeof plugin !== 'object' ||
    typeof plugin.name !== 'string' ||
    typeof plugin.providerId !== 'string' ||
    typeof plugin.coreApi !== 'string' ||
    typeof plugin.register !== 'function' ||
    typeof plugin.configSchema !== 'object'
  ) {
    throw configError(
      `"${source}" is not a provisio plugin: it must export (as default or "provisioPlugin") an object with name, version, providerId, coreApi, configSchema and register()`,
    );
  }
  // semver is loaded when a plugin is checked, not when core is imported.
  const load = createRequire(import.meta.url);
  const validRange = load('semver/ranges/valid.js') as (range: string) => string | null;
  const satisfies = load('semver/functions/satisfies.js') as (version: string, range: string) => boolean;
  if (!validRange(plugin.coreApi) || !satisfies(CORE_API_VERSION, plugin.coreApi)) {
    throw configError(
      `Plugin "${plugin.name}" supports provisio core API "${plugin.coreApi}", but this core implements ${CORE_API_VERSION}; install a version of the plugin built for it`,
    );
  }
  checkSchema(plugin.configSchema);
  return plugin as ProvisioningPlugin;
}

/** A package that declares itself a provisio plugin in its package.json (`"provisio": {"plugin": true}`). */
export interface DiscoveredPlugin {
  packageName: string;
  version: string;
  directory: string;
}

/** Scans the node_modules folders visible from `from` for packages that declare themselves provisio plugins. */
export function discoverPlugins(from: string = process.cwd()): DiscoveredPlugin[] {
  const found = new Map<string, DiscoveredPlugin>();
  let dir = from;
  for (;;) {
    const modules = join(dir, 'node_modules');
    for (const pkgDir of packageDirs(modules)) {
      const manifest = readManifest(pkgDir);
      if (manifest?.name && !found.has(manifest.name) && manifest.provisio?.plugin === true) {
        found.set(manifest.name, { packageName: manifest.name, version: manifest.version ?? '0.0.0', directory: pkgDir });
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return [...found.values()].sort((a, b) => a.packageName.localeCompare(b.packageName));
}

function packageDirs(modules: string): string[] {
  const dirs: string[] = [];
  for (const entry of safeReaddir(modules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const sub of safeReaddir(join(modules, entry))) dirs.push(join(modules, entry, sub));
    else dirs.push(join(modules, entry));
  }
  return dirs;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readManifest(dir: string): { name?: string; version?: string; provisio?: { plugin?: boolean } } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name?: string;
      version?: string;
      provisio?: { plugin?: boolean };
    };
  } catch {
    return undefined;
  }
}
