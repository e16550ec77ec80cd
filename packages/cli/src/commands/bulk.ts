import { resolve } from 'node:path';
import type { Command } from 'commander';
import { descriptionOf } from './command-table.js';
import { ProvisioningError } from '@provisio/core';
import type { BulkSummary } from '../bulk/bulk-run.js';
import type { progressReporter } from '../bulk/progress.js';
import { outputFor, withInstance, type GlobalOptions } from '../context.js';
import { EXIT } from '../output/exit-codes.js';
import { table } from '../output/format.js';

interface BulkCliOptions extends GlobalOptions {
  instance: string;
  input: string;
  output: string;
  journal?: string;
  concurrency: string;
  strict?: boolean;
  queue?: string;
}

/**
 * 130 interrupted; 2 --strict stopped the run at an invalid row; 1 some calls failed (re-run to
 * retry them); 2 some rows were invalid (skipped and listed); 0 only when every row has credentials.
 */
export function bulkExitCode(summary: BulkSummary, interrupted: boolean): number {
  if (interrupted) return 130;
  // --strict stopped the run: the input is what needs fixing, whatever else failed.
  if (summary.stoppedEarly && summary.invalid > 0) return EXIT.INVALID_INPUT;
  if (summary.failed > 0) return EXIT.FAILURE;
  if (summary.invalid > 0) return EXIT.INVALID_INPUT;
  return EXIT.OK;
}

export function registerBulkCommand(program: Command): { exitCode: number } {
  const result = { exitCode: EXIT.OK as number };
  program
    .command('bulk')
    .description(descriptionOf('bulk'))
    .requiredOption('-i, --instance <name>', 'configured instance')
    .requiredOption('--input <file>', 'devices.csv (columns nodeId,productId,name,verifyCode,psk,validitySeconds,vendor) or devices.jsonl')
    .requiredOption('--output <file>', 'credentials.jsonl to append to (created with mode 0600)')
    .option('--journal <file>', 'journal file (default: <output>.journal)')
    .option('--concurrency <n>', 'calls in flight at once (the instance rate limit still applies)', '8')
    .option('--strict', 'check the whole input first and send nothing if any row is invalid (instead of skipping invalid rows)')
    .option('--queue <url>', 'distribute the rows over "provisio worker"s through this Redis (redis:// or rediss://) and collect their results')
    .addHelpText(
      'after',
      '\nRe-running the same command after Ctrl-C or kill -9 resumes: devices with credentials are skipped, and a\n' +
        'device whose answer was lost is looked up and given fresh credentials, never registered twice.\n\n' +
        'Example:\n  $ provisio bulk -i huawei --input devices.csv --output credentials.jsonl --concurrency 16',
    )
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<BulkCliOptions>();
      const output = outputFor(o);
      const concurrency = Number(o.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1024) {
        throw new ProvisioningError({ code: 'INVALID_INPUT', message: '--concurrency must be an integer from 1 to 1024', field: 'concurrency', rule: 'cli', retryable: false });
      }
      // Loaded when bulk runs (csv-parse, cli-progress): --help and the other commands start faster.
      const [{ runBulk }, { countRows }, { progressReporter }, { runQueuedBulk }] = await Promise.all([
        import('../bulk/bulk-run.js'),
        import('../bulk/input-reader.js'),
        import('../bulk/progress.js'),
        import('../bulk/queued-bulk.js'),
      ]);
      const total = await countRows(resolve(o.input)).catch(() => {
        throw new ProvisioningError({ code: 'INVALID_INPUT', message: `cannot read --input ${o.input}`, field: 'input', rule: 'cli', retryable: false });
      });
      const controller = new AbortController();
      let bar: ReturnType<typeof progressReporter> | undefined;
      const onSignal = () => {
        if (controller.signal.aborted) {
          bar?.stop(); // restores the cursor the bar hid
          process.exit(130);
        }
        output.err('bulk: stopping after the calls in flight (Ctrl-C again to quit now; the journal keeps everything)');
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      bar = output.json ? undefined : progressReporter(total);
      // Every way out stops the bar: its timer would keep the process alive and the cursor hidden.
      try {
        const summary = o.queue
          ? await runQueuedBulk({
              instance: o.instance,
              queueUrl: o.queue,
              input: resolve(o.input),
              output: resolve(o.output),
              journal: o.journal ? resolve(o.journal) : undefined,
              strict: Boolean(o.strict),
              signal: controller.signal,
              onProgress: (p) => bar?.update(p),
            })
          : await withInstance(o, (provider) =>
          runBulk({
            provider,
            input: resolve(o.input),
            output: resolve(o.output),
            journal: o.journal ? resolve(o.journal) : undefined,
            concurrency,
            strict: Boolean(o.strict),
            signal: controller.signal,
            onProgress: (p) => bar?.update(p),
          }),
        );
        bar?.stop();
        bar = undefined;
        if (output.json) output.out(JSON.stringify(summary, null, 2));
        else {
          output.out(
            `${summary.resumedRun ? 'Resumed. ' : ''}Registered ${summary.registered}, recovered ${summary.recovered}, ` +
              `already done ${summary.skipped}, invalid ${summary.invalid}, failed ${summary.failed}.`,
          );
          const journal = o.journal ?? `${o.output}.journal`;
          output.out(
            summary.journalHoldsCredentials
              ? `Credentials are in ${o.output}, and its journal ${journal} holds some the file lacks (both mode 0600; a re-run writes them back): delete both once the credentials are imported.`
              : `Credentials are in ${o.output} (mode 0600); the journal ${journal} holds none, only what a re-run needs to skip done rows: delete both once the credentials are imported.`,
          );
          if (summary.invalidRows.length) output.out(`\nInvalid rows (${o.strict ? '--strict stopped the run' : 'skipped'}):\n${table(summary.invalidRows.map((r) => ({ ...r })))}`);
          if (summary.failures.length) output.out(`\nFailures:\n${table(summary.failures.map((r) => ({ ...r })))}`);
        }
        result.exitCode = bulkExitCode(summary, controller.signal.aborted);
      } finally {
        bar?.stop();
        process.off('SIGINT', onSignal);
      }
    });
  return result;
}
