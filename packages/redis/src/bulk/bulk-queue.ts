import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import { connectRedis, redisOptions, redisUnavailable } from '../connection.js';
import type { Sealer } from '../sealing.js';
import { jobId, queueName } from './queue-names.js';

/** What a job carries: the input line in clear, the row sealed; `started` once a worker began it. */
export interface BulkJobData {
  line: number;
  row: string;
  started?: number;
}

/** A job the workers are done with: its outcome (opened), and how to remove it once recorded. */
export interface SettledJob<Row, Outcome> {
  line: number;
  row: Row;
  /** The worker's outcome; undefined when the job failed inside BullMQ (e.g. stalled too often). */
  outcome: Outcome | undefined;
  failedReason?: string;
  remove(): Promise<void>;
}

/**
 * The coordinator's side of a distributed bulk run (BullMQ): enqueue rows under ids derived from
 * instance + node id, then collect the settled jobs. Rows and outcomes are sealed (AES-256-GCM):
 * Redis never holds a PSK or an issued credential in clear, and a job is removed once its
 * outcome is written to the output.
 */
export class BulkQueue<Row, Outcome> {
  private constructor(
    private readonly queue: Queue,
    private readonly instance: string,
    private readonly sealer: Sealer,
    private readonly url: string,
  ) {}

  static async open<Row, Outcome>(options: { url: string; instance: string; sealer: Sealer }): Promise<BulkQueue<Row, Outcome>> {
    // Fails as UNAVAILABLE, naming the URL, before BullMQ starts retrying in the background.
    (await connectRedis(options.url, 'bulk queue')).disconnect();
    const { lazyConnect: _lazy, ...connection } = redisOptions(options.url);
    const queue = new Queue(queueName(options.instance), { connection: connection as ConnectionOptions });
    queue.on('error', () => undefined);
    return new BulkQueue(queue, options.instance, options.sealer, options.url);
  }

  /** Adds the rows; a row whose job exists (waiting, active, settled) is left as it is. */
  async enqueue(rows: Array<{ nodeId: string; line: number; row: Row }>): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.queue.addBulk(
        rows.map((r) => ({
          name: 'register',
          data: { line: r.line, row: this.sealer.seal(JSON.stringify(r.row)) } satisfies BulkJobData,
          opts: { jobId: jobId(this.instance, r.nodeId), attempts: 1, removeOnComplete: false, removeOnFail: false },
        })),
      );
    } catch (error) {
      throw redisUnavailable(this.url, 'bulk queue', error);
    }
  }

  /** Does a job for this node id exist (waiting, active, or settled and not yet collected)? */
  async has(nodeId: string): Promise<boolean> {
    return (await this.queue.getJob(jobId(this.instance, nodeId))) !== undefined;
  }

  /** Up to `max` jobs the workers finished (completed or failed), oldest first. */
  async settled(max = 200): Promise<Array<SettledJob<Row, Outcome>>> {
    let jobs: Job<BulkJobData>[];
    try {
      jobs = (await this.queue.getJobs(['completed', 'failed'], 0, max - 1, true)) as Job<BulkJobData>[];
    } catch (error) {
      throw redisUnavailable(this.url, 'bulk queue', error);
    }
    const out: Array<SettledJob<Row, Outcome>> = [];
    for (const job of jobs) {
      if (!job?.data?.row) continue;
      const row = JSON.parse(this.sealer.open(job.data.row)) as Row;
      const sealed = (job.returnvalue as { result?: string } | null)?.result;
      out.push({
        line: job.data.line,
        row,
        outcome: sealed ? (JSON.parse(this.sealer.open(sealed)) as Outcome) : undefined,
        failedReason: sealed ? undefined : (job.failedReason ?? 'failed in the queue'),
        remove: async () => {
          await job.remove();
        },
      });
    }
    return out;
  }

  /** The queue's counts: what is waiting, being worked on, and settled but not yet collected. */
  async counts(): Promise<{ waiting: number; active: number; completed: number; failed: number }> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
    return { waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0 };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
