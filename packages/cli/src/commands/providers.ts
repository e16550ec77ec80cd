import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { descriptionOf } from './command-table.js';
import { discoverPlugins, isProvisioningError, type InstanceInfo, type ProvisioningError } from '@provisio/core';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load-config.js';
import { buildInstance, CLI_ROOT, outputFor, type GlobalOptions } from '../context.js';
import { table } from '../output/format.js';

/** A configured instance that could not be built (missing env var, unknown plugin, invalid config). */
interface BrokenInstance {
  name: string;
  plugin: string;
  broken: { code: string; field?: string; message: string };
}

function capabilityList(info: InstanceInfo): string {
  return Object.entries(info.capabilities.operations)
    .filter(([, claimed]) => claimed)
    .map(([op]) => op)
    .join(',');
}

function brokenBecause(error: unknown): BrokenInstance['broken'] {
  if (isProvisioningError(error)) {
    const e = error as ProvisioningError;
    return { code: e.code, field: e.field, message: e.message };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

export function registerProvidersCommand(program: Command): void {
  program
    .command('providers')
    .description(descriptionOf('providers'))
    .addHelpText('after', '\nExample:\n  $ provisio providers --config provisio.config.json')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>();
      const output = outputFor(o);
      const seen = new Map<string, { packageName: string; version: string }>();
      for (const root of [process.cwd(), CLI_ROOT]) for (const p of discoverPlugins(root)) if (!seen.has(p.packageName)) seen.set(p.packageName, p);
      const plugins = [...seen.values()].map((p) => ({ plugin: p.packageName, version: p.version }));
      const instances: Array<InstanceInfo | BrokenInstance> = [];
      if (o.config || existsSync(resolve(DEFAULT_CONFIG_FILE))) {
        const loaded = loadConfig(o.config);
        // Each instance on its own: one that cannot be built is shown as broken, the others still work.
        for (const [name, entry] of Object.entries(loaded.instances)) {
          try {
            const { provisioner, info } = await buildInstance(loaded, name);
            await provisioner.close();
            instances.push(info);
          } catch (error) {
            instances.push({ name, plugin: entry.plugin, broken: brokenBecause(error) });
          }
        }
      }
      if (output.json) {
        output.out(JSON.stringify({ plugins, instances }, null, 2));
        return;
      }
      output.out(`Installed plugins\n${table(plugins)}\n`);
      output.out(
        `Configured instances\n${table(
          instances.map((i) =>
            'broken' in i
              ? { instance: i.name, plugin: i.plugin, provider: '', operations: `BROKEN: ${i.broken.message}` }
              : {
                  instance: i.name,
                  plugin: i.plugin,
                  provider: i.providerId,
                  operations: capabilityList(i),
                  credentials: i.capabilities.credentialKinds.join(','),
                  sealed: i.capabilities.sealedCredentials,
                },
          ),
        )}`,
      );
    });
}
