import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverPlugins, Provisioner, readPackageInfo, type InstanceInfo, type ProvisioningProvider } from '@provisio/core';
import { loadConfig, resolveInstance, type LoadedConfig } from './config/load-config.js';
import { consoleOutput, type Output } from './output/format.js';

/** The CLI's own package directory: built-in providers resolve from here when the project lacks them. */
export const CLI_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The CLI's own name and version, as its package.json states them. */
export const CLI_PACKAGE = readPackageInfo(new URL('../../package.json', import.meta.url));

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

export interface GlobalOptions {
  config?: string;
  json?: boolean;
}

export function outputFor(options: GlobalOptions): Output {
  return consoleOutput(Boolean(options.json));
}

/** Where plugins resolve from: the configuration's directory, the current directory, then the CLI's own. */
export function pluginRoots(configFile?: string): string[] {
  return [...(configFile ? [dirname(configFile)] : []), process.cwd(), CLI_ROOT];
}

/**
 * Builds only the named instance (its env references, plugin and config), so a broken instance
 * elsewhere in the file does not break this command.
 */
export async function buildInstance(loaded: LoadedConfig, name: string): Promise<{ provisioner: Provisioner; info: InstanceInfo }> {
  const provisioner = await Provisioner.create({ instances: { [name]: resolveInstance(loaded, name) } }, { resolveFrom: pluginRoots(loaded.file) });
  return { provisioner, info: provisioner.list()[0] as InstanceInfo };
}

/** Builds the one named instance from the configuration and runs `body` with it. */
export async function withInstance<T>(
  options: GlobalOptions & { instance: string },
  body: (provider: ProvisioningProvider, provisioner: Provisioner) => Promise<T>,
): Promise<T> {
  const { provisioner } = await buildInstance(loadConfig(options.config), options.instance);
  try {
    return await body(provisioner.get(options.instance), provisioner);
  } finally {
    await provisioner.close();
  }
}
