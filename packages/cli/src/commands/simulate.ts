import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { descriptionOf } from './command-table.js';
import { invalidInput, loadPlugin, type ProvisioningPlugin, type RunningSimulator, type SimulatorStartOptions } from '@provisio/core';
import { CLI_ROOT, outputFor, type GlobalOptions } from '../context.js';
import { installedPlugins } from '../installed-plugins.js';
import { table } from '../output/format.js';

export interface StartedSimulator {
  plugin: string;
  providerId: string;
  simulator: RunningSimulator;
}

export interface StartSimulatorsOptions {
  /** Start options per plugin, from what its manifest declares (e.g. `simulator.servesTls`). */
  optionsFor?(plugin: ProvisioningPlugin): SimulatorStartOptions;
  /** Skip plugins without a simulator (found by discovery) instead of failing (asked for by name). */
  skipWithoutSimulator?: boolean;
}

/** Starts the simulators of the given plugins (loaded by package name) on 127.0.0.1. */
export async function startSimulators(plugins: readonly string[], options: StartSimulatorsOptions = {}): Promise<StartedSimulator[]> {
  const started: StartedSimulator[] = [];
  try {
    for (const name of plugins) {
      const plugin = await loadPlugin(name, [process.cwd(), CLI_ROOT]);
      if (!plugin.simulator) {
        if (options.skipWithoutSimulator) continue;
        throw new Error(`${name} offers no simulator`);
      }
      if (started.some((s) => s.providerId === plugin.providerId)) continue;
      const simulator = await plugin.simulator.start(options.optionsFor?.(plugin));
      started.push({ plugin: name, providerId: plugin.providerId, simulator });
    }
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.simulator.stop()));
    throw error;
  }
  return started;
}

/** The plugins a command runs simulators for: those named, or every installed one that has a simulator. */
export function simulatedPlugins(named: string[] | undefined): { plugins: string[]; skipWithoutSimulator: boolean } {
  return named?.length ? { plugins: named, skipWithoutSimulator: false } : { plugins: installedPlugins(), skipWithoutSimulator: true };
}

/**
 * A configuration for started simulators with every secret replaced by a `${VAR}` reference,
 * and the variables' values, so the config file itself holds no secret.
 */
export function configWithEnvReferences(started: StartedSimulator[]): { config: Record<string, unknown>; env: Record<string, string> } {
  const env: Record<string, string> = {};
  const instances: Record<string, unknown> = {};
  for (const { plugin, providerId, simulator } of started) {
    const secrets = simulator.secrets();
    const swap = (value: unknown): unknown => {
      if (typeof value === 'string') {
        const index = secrets.indexOf(value);
        if (index < 0) return value;
        const name = `PROVISIO_${providerId.toUpperCase()}_SECRET${index === 0 ? '' : `_${index + 1}`}`;
        env[name] = value;
        return `\${${name}}`;
      }
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]));
      return value;
    };
    instances[providerId] = { plugin, config: swap(simulator.instanceConfig()) };
  }
  return { config: { instances }, env };
}

/**
 * Writes secrets to a new 0600 file renamed over `path`: an existing file keeps neither its
 * looser mode (writeFileSync's mode applies only on create) nor a half-written state.
 */
export function writeSecretFile(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(descriptionOf('simulate'))
    .option('--write-config <file>', 'write the configuration there (secrets as ${ENV} references)')
    // Not --env-file: Node 20 takes that flag for itself even after the script name and exits 9.
    .option('--secrets-file <file>', 'write the secret values there, as VAR=value lines (mode 0600)', 'provisio.env')
    .option('--plugin <package...>', 'only these plugins (default: the built-in providers and every plugin installed here)')
    .option('--tls-dir <dir>', 'where HTTPS simulators keep their CA, server and client certificates (a folder per provider)', '.provisio/tls')
    .option('--no-tls', 'serve plain HTTP from the simulators that default to (mutual) TLS')
    .option('--rate-limit <calls/interval>', "each simulator's flow control, mirrored in the written config's client limit (e.g. 20/1s, 100/1m)", parseRateLimit)
    .option('--port <provider=port>', 'port for one provider\'s simulator, e.g. huawei=8743 (repeatable; default: any free port)', collectPort, {})
    .addHelpText(
      'after',
      '\nExample:\n  $ provisio simulate --write-config provisio.config.json --port huawei=8743\n  $ set -a; . ./provisio.env; set +a; provisio register -i huawei --node-id 860000000000001',
    )
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<
        GlobalOptions & {
          writeConfig?: string;
          secretsFile: string;
          plugin?: string[];
          port: Record<string, number>;
          tls: boolean;
          tlsDir: string;
          rateLimit?: { limit: number; intervalMs: number };
        }
      >();
      const output = outputFor(o);
      const { plugins, skipWithoutSimulator } = simulatedPlugins(o.plugin);
      const started = await startSimulators(plugins, {
        skipWithoutSimulator,
        optionsFor: (plugin) => ({
          port: o.port[plugin.providerId] ?? 0,
          rateLimit: o.rateLimit,
          tls: o.tls && plugin.simulator?.servesTls ? { dir: resolve(o.tlsDir, plugin.providerId), requireClientCert: true } : undefined,
        }),
      });
      const unknownPorts = Object.keys(o.port).filter((id) => !started.some((s) => s.providerId === id));
      if (unknownPorts.length > 0) {
        await Promise.allSettled(started.map((s) => s.simulator.stop()));
        const running = started.map((s) => s.providerId).join(', ');
        throw invalidInput({ field: 'port', rule: 'cli', message: `--port names ${unknownPorts.join(', ')}, but the simulators started are ${running}` });
      }
      const { config, env } = configWithEnvReferences(started);
      const envFile = resolve(o.secretsFile);
      writeSecretFile(envFile, `${Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
      const configFile = o.writeConfig ? resolve(o.writeConfig) : undefined;
      if (configFile) writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
      const endpoints = started.map((s) => ({ instance: s.providerId, plugin: s.plugin, url: s.simulator.url, deviceSide: s.simulator.deviceSide ?? '' }));
      const files = Object.fromEntries(started.filter((s) => s.simulator.files).map((s) => [s.providerId, s.simulator.files]));
      if (output.json) {
        output.out(JSON.stringify({ ready: true, endpoints, files, config, configFile, envFile, env }));
      } else {
        output.out(`Simulators running (Ctrl-C to stop)\n${table(endpoints)}\n`);
        for (const [instance, paths] of Object.entries(files)) {
          output.out(`${instance} TLS files (hand them to any HTTPS client, e.g. the vendor SDK):\n${table(Object.entries(paths ?? {}).map(([file, path]) => ({ file, path })))}\n`);
        }
        output.out(`Configuration${configFile ? ` (written to ${configFile})` : ''}:\n${JSON.stringify(config, null, 2)}\n`);
        output.out(`Secrets written to ${envFile} (mode 0600). Load them with:\n  set -a; . ${envFile}; set +a`);
      }
      await new Promise<void>((done) => {
        const stop = () => done();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await Promise.allSettled(started.map((s) => s.simulator.stop()));
    });
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** "huawei=8743" → { huawei: 8743 }, accumulated over repeated flags. */
export function collectPort(value: string, previous: Record<string, number>): Record<string, number> {
  const match = /^([A-Za-z0-9_-]+)=(\d{1,5})$/.exec(value.trim());
  if (!match || Number(match[2]) > 65535) throw new InvalidArgumentError('expected <provider>=<port>, e.g. huawei=8743');
  return { ...previous, [match[1] as string]: Number(match[2]) };
}

/** "20/1s" → 20 calls per 1,000 ms; "100/1m" → 100 per 60,000 ms. */
export function parseRateLimit(value: string): { limit: number; intervalMs: number } {
  const match = /^(\d+)\/(\d+)(ms|s|m)$/.exec(value.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    throw new InvalidArgumentError('expected <calls>/<interval>, e.g. 20/1s or 100/1m');
  }
  return { limit: Number(match[1]), intervalMs: Number(match[2]) * (UNITS[match[3] as string] as number) };
}
