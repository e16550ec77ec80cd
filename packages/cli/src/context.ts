import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Provisioner, ProvisioningError, type ProvisioningProvider } from '@provisio/core';
import { loadConfig } from './config/load-config.js';
import { consoleOutput, type Output } from './output/format.js';

/** The CLI's own package directory: built-in providers resolve from here when the project lacks them. */
export const CLI_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built-in providers, loaded by package name like any other plugin. */
export const BUILTIN_PLUGINS = ['@provisio/provider-huawei', '@provisio/provider-tencent'] as const;

export interface GlobalOptions {
  config?: string;
  json?: boolean;
}

export function outputFor(options: GlobalOptions): Output {
  return consoleOutput(Boolean(options.json));
}

/** Builds the provisioner from the configuration and runs `body` with one named instance. */
export async function withInstance<T>(
  options: GlobalOptions & { instance: string },
  body: (provider: ProvisioningProvider, provisioner: Provisioner) => Promise<T>,
): Promise<T> {
  const { file, config } = loadConfig(options.config);
  const provisioner = await Provisioner.create(config, { resolveFrom: [dirname(file), process.cwd(), CLI_ROOT] });
  try {
    if (!provisioner.has(options.instance)) {
      throw new ProvisioningError({
        code: 'INVALID_INPUT',
        message: `${file} has no instance "${options.instance}"; configured: ${provisioner.list().map((i) => i.name).join(', ') || '(none)'}`,
        field: 'instance',
        rule: 'config',
        retryable: false,
      });
    }
    return await body(provisioner.get(options.instance), provisioner);
  } finally {
    await provisioner.close();
  }
}
