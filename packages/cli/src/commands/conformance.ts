import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { descriptionOf } from './command-table.js';
import type { invalidInput as InvalidInput } from '@provisio/core';
import { outputFor, pluginRoots, type GlobalOptions } from '../context.js';
import { EXIT } from '../output/exit-codes.js';

export function registerConformanceCommand(program: Command): { exitCode: number } {
  const result = { exitCode: EXIT.OK as number };
  program
    .command('conformance <plugin>')
    .description(descriptionOf('conformance'))
    .option('--live', 'run against a real cloud; the instance config comes from PROVISIO_CONFORMANCE_CONFIG (JSON with ${ENV} references)')
    .option('--report-dir <dir>', 'where conformance.json and conformance.junit.xml go', 'conformance-report')
    .option('--reporter <name>', 'mocha reporter', 'spec')
    .addHelpText('after', '\nExample:\n  $ provisio conformance @provisio/provider-tencent --report-dir reports')
    .action(async (plugin: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { live?: boolean; reportDir: string; reporter: string }>();
      const { resolveEnvReferences, invalidInput, parseUserJson } = await import('@provisio/core');
      const roots = pluginRoots(o.config ? resolve(o.config) : undefined);
      const { runConformanceCli } = await loadTestkit(roots, invalidInput);
      let liveConfig: Record<string, unknown> | undefined;
      if (o.live) {
        const text = process.env.PROVISIO_CONFORMANCE_CONFIG;
        if (!text) {
          throw invalidInput({
            message: '--live needs PROVISIO_CONFORMANCE_CONFIG: the instance config as JSON, secrets as ${ENV_VAR} references',
            field: 'PROVISIO_CONFORMANCE_CONFIG',
            rule: 'env',
          });
        }
        // A syntax error is INVALID_INPUT naming the variable, line and column, never quoting the text (it may hold a secret).
        liveConfig = resolveEnvReferences(parseUserJson(text, 'PROVISIO_CONFORMANCE_CONFIG')) as Record<string, unknown>;
      }
      const output = outputFor(o);
      // --json: only the report goes to stdout (the test-by-test reporter only if asked for).
      const reporter = output.json && cmd.getOptionValueSource('reporter') === 'default' ? false : o.reporter;
      const run = await runConformanceCli({
        plugin,
        // Outside the repository the plugin is found from the config's or current directory, or the CLI's own.
        resolveFrom: roots,
        liveConfig,
        reportDir: o.reportDir,
        reporter,
        out: (t) => (output.json ? undefined : output.out(t)),
      });
      if (output.json) {
        output.out(JSON.stringify({ plugin, live: Boolean(liveConfig), failures: run.failures, ...run.report.toJSON(), files: run.files }, null, 2));
      }
      result.exitCode = run.failures > 0 ? EXIT.FAILURE : EXIT.OK;
    });
  return result;
}

type TestkitRunner = typeof import('@provisio/testkit/runner');

/**
 * The suite (mocha, chai, nock) is an optional peer of the CLI, not part of its runtime: it is
 * loaded from the project (a devDependency there) or from beside the CLI, only by this command.
 */
async function loadTestkit(roots: string[], invalidInput: typeof InvalidInput): Promise<TestkitRunner> {
  for (const root of roots) {
    let path: string;
    try {
      path = createRequire(join(root, '__provisio__.js')).resolve('@provisio/testkit/runner');
    } catch {
      continue;
    }
    return (await import(pathToFileURL(path).href)) as TestkitRunner;
  }
  throw invalidInput({
    field: 'conformance',
    rule: 'cli',
    message: 'provisio conformance needs the test kit, which the CLI does not install for itself: npm install --save-dev @provisio/testkit (it brings mocha, chai and nock)',
  });
}
