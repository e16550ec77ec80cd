import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Provisioner, type InstanceInfo, type ProvisioningProvider } from '@provisio/core';
import { loadConfig, resolveCoordination, resolveInstance, type LoadedConfig } from './config/load-config.js';
import { consoleOutput, type Output } from './output/format.js';

/** The CLI's own package directory: built-in providers resolve from here when the project lacks them. */
export const CLI_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

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
export async function buildInstance(
  loaded: LoadedConfig,
  name: string,
  /** Used when the configuration names none (a queue worker coordinates through the queue's Redis). */
  fallbackCoordination?: { redis: string },
): Promise<{ provisioner: Provisioner; info: InstanceInfo }> {
  const instance = resolveInstance(loaded, name);
  // Loaded (and connected) only when configured: @provisio/redis stays out of every other command.
  const coordination = resolveCoordination(loaded) ?? fallbackCoordination;
  const provisioner = await Provisioner.create({ instances: { [name]: instance }, coordination }, { resolveFrom: pluginRoots(loaded.file) });
  return { provisioner, info: provisioner.list()[0] as InstanceInfo };
}

/** Builds the one named instance from the configuration and runs `body` with it. */
export async function withInstance<T>(
  options: GlobalOptions & { instance: string },
  body: (provider: ProvisioningProvider, provisioner: Provisioner) => Promise<T>,
  fallbackCoordination?: { redis: string },
): Promise<T> {
  const { provisioner } = await buildInstance(loadConfig(options.config), options.instance, fallbackCoordination);
  try {
    return await body(provisioner.get(options.instance), provisioner);
  } finally {
    await provisioner.close();
  }
}
