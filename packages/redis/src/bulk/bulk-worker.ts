import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { connectRedis, redisOptions } from '../connection.js';
import type { Sealer } from '../sealing.js';
import type { BulkJobData } from './bulk-queue.js';
import { queueName } from './queue-names.js';

export interface BulkWorkerOptions<Row, Outcome> {
  url: string;
  instance: string;
  sealer: Sealer;
  /** Rows in flight at once in this worker (the shared budget still applies). */
  concurrency: number;
  /**
   * How long a job stays locked to a worker that stops answering (killed mid-call) before
   * another worker takes it over. Default 30 s.
   */
  lockMs?: number;
  /** Provisions one row; `uncertain` when an earlier attempt (a killed worker's) may have reached the cloud. */
  handle(row: Row, uncertain: boolean): Promise<Outcome>;
}

export interface RunningBulkWorker {
  /** Rows this worker finished. */
  readonly processed: number;
  /** Resolves when the queue has no row left to start (the worker keeps its own rows going until close). */
  drained(): Promise<void>;
  /** Finishes the rows in flight, then stops. */
  close(): Promise<void>;
}

/**
 * A worker of a distributed bulk run: takes rows from the instance's queue and provisions them
 * with `handle`. A job is marked `started` before its first call: when it comes back after its
 * worker died (BullMQ's stalled-job check), the next worker treats it as uncertain and looks the
 * device up before registering again. The outcome (credentials) is sealed before it reaches Redis.
 */
export async function startBulkWorker<Row, Outcome>(options: BulkWorkerOptions<Row, Outcome>): Promise<RunningBulkWorker> {
  (await connectRedis(options.url, 'bulk queue')).disconnect();
  const { lazyConnect: _lazy, maxRetriesPerRequest: _retries, ...connection } = redisOptions(options.url);
  const lockMs = options.lockMs ?? 30_000;
  let processed = 0;
  const worker = new Worker<BulkJobData, { result: string }>(
    queueName(options.instance),
    async (job: Job<BulkJobData, { result: string }>) => {
      const row = JSON.parse(options.sealer.open(job.data.row)) as Row & { uncertain?: boolean };
      const uncertain = job.data.started !== undefined || Boolean(row.uncertain);
      await job.updateData({ ...job.data, started: Date.now() });
      const outcome = await options.handle(row, uncertain);
      processed++;
      return { result: options.sealer.seal(JSON.stringify(outcome)) };
    },
    {
      // BullMQ's workers block on Redis: their connection must retry without limit.
      connection: { ...connection, maxRetriesPerRequest: null } as ConnectionOptions,
      concurrency: options.concurrency,
      lockDuration: lockMs,
      stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
      // A job may come back several times when several workers die: each time it is looked up first.
      maxStalledCount: 10,
      removeOnComplete: { count: Number.MAX_SAFE_INTEGER },
      removeOnFail: { count: Number.MAX_SAFE_INTEGER },
    },
  );
  worker.on('error', () => undefined);
  let drainedResolve: () => void = () => undefined;
  const drainedPromise = new Promise<void>((resolve) => {
    drainedResolve = resolve;
  });
  worker.on('drained', () => drainedResolve());
  await worker.waitUntilReady();
  return {
    get processed() {
      return processed;
    },
    drained: () => drainedPromise,
    close: () => worker.close(),
  };
}
