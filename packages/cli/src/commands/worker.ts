import type { Command } from 'commander';
import { descriptionOf } from './command-table.js';
import { ProvisioningError } from '@provisio/core';
import { failureOf, provisionDevice } from '../bulk/provision-device.js';
import type { CredentialLine } from '../bulk/journal.js';
import type { QueuedRow, RowOutcome } from '../bulk/queued-bulk.js';
import { outputFor, withInstance, type GlobalOptions } from '../context.js';
import { EXIT } from '../output/exit-codes.js';
import { loadRedisPackage } from '../redis-package.js';

interface WorkerCliOptions extends GlobalOptions {
  instance: string;
  queue: string;
  concurrency: string;
  lockMs: string;
  exitWhenDrained?: boolean;
}

function positive(value: string, field: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ProvisioningError({ code: 'INVALID_INPUT', message: `--${field} must be an integer from 1 to ${max}`, field, rule: 'cli', retryable: false });
  }
  return n;
}

export function registerWorkerCommand(program: Command): { exitCode: number } {
  const result = { exitCode: EXIT.OK as number };
  program
    .command('worker')
    .description(descriptionOf('worker'))
    .requiredOption('-i, --instance <name>', 'configured instance (the same name the bulk run uses)')
    .requiredOption('--queue <url>', 'redis:// or rediss:// URL of the queue (password in the URL or PROVISIO_REDIS_PASSWORD)')
    .option('--concurrency <n>', 'rows in flight in this worker (the shared rate limit still applies)', '8')
    .option('--lock-ms <ms>', 'how long a row stays with a worker that stopped answering before another takes it over', '30000')
    .option('--exit-when-drained', 'exit once the queue has no row left to start (default: wait for more until Ctrl-C)')
    .addHelpText(
      'after',
      '\nNeeds PROVISIO_QUEUE_KEY (the same 32-byte key as the bulk run). Without "coordination" in the configuration,\n' +
        'workers share the instance\'s login and rate limit through the queue\'s Redis.\n\n' +
        'Example:\n  $ provisio worker -i huawei --queue redis://127.0.0.1:6379 --concurrency 8',
    )
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<WorkerCliOptions>();
      const output = outputFor(o);
      const concurrency = positive(o.concurrency, 'concurrency', 1024);
      const lockMs = positive(o.lockMs, 'lock-ms', 3_600_000);
      const redis = await loadRedisPackage();
      const sealer = redis.queueSealer();
      await withInstance(
        o,
        async (provider) => {
          const worker = await redis.startBulkWorker<QueuedRow, RowOutcome>({
            url: o.queue,
            instance: o.instance,
            sealer,
            concurrency,
            lockMs,
            async handle(row, uncertain) {
              let cred: CredentialLine | undefined;
              try {
                const outcome = await provisionDevice(provider, row.request, uncertain, async (nodeId, registration, credentials, recovered) => {
                  cred = { line: row.line, nodeId, deviceId: registration.deviceId, credentials, ...(recovered ? { recovered: true } : {}) };
                });
                return { kind: 'done', outcome, cred: cred as CredentialLine };
              } catch (error) {
                return { kind: 'fail', ...failureOf(error, uncertain) };
              }
            },
          });
          output.err(`worker: ${o.instance} on ${redis.describeRedis(o.queue)}, ${concurrency} rows at a time`);
          await new Promise<void>((resolve) => {
            const stop = () => resolve();
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
            if (o.exitWhenDrained) void worker.drained().then(stop);
          });
          await worker.close();
          output.err(`worker: stopped after ${worker.processed} rows`);
        },
        { redis: o.queue },
      );
    });
  return result;
}
