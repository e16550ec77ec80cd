import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { discoverPlugins, Provisioner, type InstanceInfo } from '@provisio/core';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load-config.js';
import { CLI_ROOT, outputFor, type GlobalOptions } from '../context.js';
import { table } from '../output/format.js';

function capabilityList(info: InstanceInfo): string {
  return Object.entries(info.capabilities.operations)
    .filter(([, claimed]) => claimed)
    .map(([op]) => op)
    .join(',');
}

export function registerProvidersCommand(program: Command): void {
  program
    .command('providers')
    .description('List installed provider plugins and the configured instances with their capabilities')
    .addHelpText('after', '\nExample:\n  $ provisio providers --config provisio.config.json')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>();
      const output = outputFor(o);
      const seen = new Map<string, { packageName: string; version: string }>();
      for (const root of [process.cwd(), CLI_ROOT]) for (const p of discoverPlugins(root)) if (!seen.has(p.packageName)) seen.set(p.packageName, p);
      const plugins = [...seen.values()].map((p) => ({ plugin: p.packageName, version: p.version }));
      let instances: InstanceInfo[] = [];
      if (o.config || existsSync(resolve(DEFAULT_CONFIG_FILE))) {
        const { file, config } = loadConfig(o.config);
        const provisioner = await Provisioner.create(config, { resolveFrom: [dirname(file), process.cwd(), CLI_ROOT] });
        instances = provisioner.list();
        await provisioner.close();
      }
      if (output.json) {
        output.out(JSON.stringify({ plugins, instances }, null, 2));
        return;
      }
      output.out(`Installed plugins\n${table(plugins)}\n`);
      output.out(
        `Configured instances\n${table(
          instances.map((i) => ({
            instance: i.name,
            plugin: i.plugin,
            provider: i.providerId,
            operations: capabilityList(i),
            credentials: i.capabilities.credentialKinds.join(','),
            sealed: i.capabilities.sealedCredentials,
          })),
        )}`,
      );
    });
}
