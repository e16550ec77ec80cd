import type { Command } from 'commander';
import { descriptionOf } from './command-table.js';
import { Provisioner } from '@provisio/core';
import { CLI_ROOT, outputFor, type GlobalOptions } from '../context.js';
import { runFleet, type StepResult } from '../demo/fleet-app.js';
import { table } from '../output/format.js';
import { simulatedPlugins, startSimulators } from './simulate.js';

const NODE_IDS = ['860000000000001', '860000000000002', '860000000000003'];

/**
 * Runs the demo: the simulator of every installed provider plugin (or of those named) in-process,
 * one provisioner, the same application code on every cloud.
 */
export async function runDemo(named?: string[]): Promise<{ instances: string[]; results: Record<string, StepResult[]> }> {
  const { plugins, skipWithoutSimulator } = simulatedPlugins(named);
  const started = await startSimulators(plugins, { skipWithoutSimulator });
  try {
    const instances = Object.fromEntries(
      started.map((s) => [s.providerId, { plugin: s.plugin, config: s.simulator.instanceConfig({ allowDestructiveRekey: true }) }]),
    );
    const provisioner = await Provisioner.create({ instances }, { resolveFrom: [process.cwd(), CLI_ROOT] });
    try {
      const results: Record<string, StepResult[]> = {};
      await Promise.all(
        started.map(async (s) => {
          results[s.providerId] = await runFleet(provisioner.get(s.providerId), s.simulator.backend, NODE_IDS);
        }),
      );
      return { instances: started.map((s) => s.providerId), results };
    } finally {
      await provisioner.close();
    }
  } finally {
    await Promise.allSettled(started.map((s) => s.simulator.stop()));
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(descriptionOf('demo'))
    .option('--plugin <package...>', 'only these plugins (default: the built-in providers and every plugin installed here)')
    .addHelpText('after', '\nExample:\n  $ provisio demo        (or npm start at the repository root)')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { plugin?: string[] }>();
      const output = outputFor(o);
      const { instances, results } = await runDemo(o.plugin);
      if (output.json) {
        output.out(JSON.stringify(results, null, 2));
        return;
      }
      const steps = (results[instances[0] as string] ?? []).map((r, i) => ({
        step: r.step,
        ...Object.fromEntries(instances.map((name) => [name, results[name]?.[i]?.outcome ?? ''])),
      }));
      output.out(`provisio demo: one application, ${instances.length} clouds (local simulators on 127.0.0.1)\n`);
      output.out(table(steps, ['step', ...instances]));
    });
}
