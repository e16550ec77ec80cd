import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverPlugins } from '@provisio/core';
import { CLI_ROOT } from './context.js';

/**
 * The provider plugins the CLI ships with: those of its dependencies that declare themselves
 * provisio plugins in their package.json. No provider is named in the CLI's code.
 */
export function builtinPlugins(): string[] {
  const manifest = JSON.parse(readFileSync(join(CLI_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
  return discoverPlugins(CLI_ROOT).map((p) => p.packageName).filter((name) => dependencies.has(name));
}

/** The built-in plugins, then every plugin installed where the command runs (a third-party one too). */
export function installedPlugins(): string[] {
  return [...new Set([...builtinPlugins(), ...discoverPlugins(process.cwd()).map((p) => p.packageName)])];
}
