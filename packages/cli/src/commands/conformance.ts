import { resolve } from 'node:path';
import type { Command } from 'commander';
import { outputFor, pluginRoots, type GlobalOptions } from '../context.js';
import { EXIT } from '../output/exit-codes.js';

export function registerConformanceCommand(program: Command): { exitCode: number } {
  const result = { exitCode: EXIT.OK as number };
  program
    .command('conformance <plugin>')
    .description("Run the conformance suite against a plugin's simulator (or a real cloud with --live)")
    .option('--live', 'run against a real cloud; the instance config comes from PROVISIO_CONFORMANCE_CONFIG (JSON with ${ENV} references)')
    .option('--report-dir <dir>', 'where conformance.json and conformance.junit.xml go', 'conformance-report')
    .option('--reporter <name>', 'mocha reporter', 'spec')
    .addHelpText('after', '\nExample:\n  $ provisio conformance @provisio/provider-tencent --report-dir reports')
    .action(async (plugin: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { live?: boolean; reportDir: string; reporter: string }>();
      // Loaded on demand: mocha and the suite are only needed by this command.
      const { runConformanceCli } = await import('@provisio/testkit/runner');
      const { resolveEnvReferences, invalidInput } = await import('@provisio/core');
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
        liveConfig = resolveEnvReferences(JSON.parse(text)) as Record<string, unknown>;
      }
      const output = outputFor(o);
      // --json: only the report goes to stdout (the test-by-test reporter only if asked for).
      const reporter = output.json && cmd.getOptionValueSource('reporter') === 'default' ? false : o.reporter;
      const run = await runConformanceCli({
        plugin,
        // Outside the repository the plugin is found from the config's or current directory, or the CLI's own.
        resolveFrom: pluginRoots(o.config ? resolve(o.config) : undefined),
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
