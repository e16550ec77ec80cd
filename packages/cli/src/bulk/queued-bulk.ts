import type { ErrorCode, RegisterRequest } from '@provisio/core';
import type { BulkProgress, BulkIssue, BulkSummary } from './bulk-run.js';
import { openRun } from './open-run.js';
import { readDevices } from './input-reader.js';
import { rowProblem, strictPrecheck } from './strict-check.js';
import type { CredentialLine } from './journal.js';
import { loadRedisPackage } from '../redis-package.js';
import { RunLock } from './run-lock.js';
import { compactJournal } from './journal-compaction.js';

/** A row as it travels through the queue (sealed by @provisio/redis). */
export interface QueuedRow {
  line: number;
  request: RegisterRequest;
  /** An earlier run's call for this row may have reached the cloud: look it up first. */
  uncertain?: boolean;
}

/** What a worker hands back for a row (sealed in Redis until the coordinator writes it). */
export type RowOutcome =
  | { kind: 'done'; outcome: 'registered' | 'recovered'; cred: CredentialLine }
  | { kind: 'fail'; code: ErrorCode; message: string; final: boolean };

export interface QueuedBulkOptions {
  instance: string;
  queueUrl: string;
  input: string;
  output: string;
  journal?: string;
  strict: boolean;
  onProgress?: (p: BulkProgress, queue: { waiting: number; active: number }) => void;
  signal?: AbortSignal;
  /** How often the coordinator asks the queue for finished rows. Default 200 ms. */
  pollMs?: number;
}

const BATCH = 500;

/**
 * The coordinator of a distributed bulk run: the same journal, output file (0600, one line per
 * device) and resume rules as `runBulk`, but rows are provisioned by `provisio worker`s through a
 * BullMQ queue in Redis. It enqueues the rows that have no credentials yet (a row whose job
 * exists is not enqueued twice), then collects the outcomes: each is made durable in the journal
 * before its job, and the sealed credentials in it, are removed from Redis.
 */
export async function runQueuedBulk(options: QueuedBulkOptions): Promise<BulkSummary> {
  // Loaded here, not at start-up: only a run with --queue pays for BullMQ and ioredis.
  const redis = await loadRedisPackage();
  const sealer = redis.queueSealer();
  const journalPath = options.journal ?? `${options.output}.journal`;
  const lock = await RunLock.acquire(`${journalPath}.lock`, options.output);
  let queue: import("@provisio/redis").BulkQueue<QueuedRow, RowOutcome> | undefined;
  try {
    queue = await redis.BulkQueue.open<QueuedRow, RowOutcome>({ url: options.queueUrl, instance: options.instance, sealer });
    const summary = await coordinate(options, journalPath, queue);
    // The credentials file is synced: the journal's copy of the credentials can go.
    return { ...summary, journalHoldsCredentials: await compactJournal(journalPath, options.output) };
  } finally {
    await queue?.close();
    await lock.release();
  }
}

interface QueueLike {
  enqueue(rows: Array<{ nodeId: string; line: number; row: QueuedRow }>): Promise<void>;
  settled(max?: number): Promise<Array<{ line: number; row: QueuedRow; outcome: RowOutcome | undefined; failedReason?: string; remove(): Promise<void> }>>;
  counts(): Promise<{ waiting: number; active: number }>;
}

async function coordinate(options: QueuedBulkOptions, journalPath: string, queue: QueueLike): Promise<BulkSummary> {
  const { state, journal, output } = await openRun(journalPath, options.output, options.input);

  const progress: BulkProgress = { processed: 0, registered: 0, recovered: 0, skipped: 0, invalid: 0, failed: 0 };
  const invalidRows: BulkIssue[] = [];
  const failures: BulkIssue[] = [];
  const seen = new Set<string>();
  const pending = new Set<string>();
  let stop = false;
  let queued = { waiting: 0, active: 0 };
  const report = () => options.onProgress?.({ ...progress }, queued);

  if (options.strict) {
    // --strict: the whole input is checked first (no row enqueued); one invalid row and nothing is sent.
    // (The workers' provider checks each row again before its call.)
    const found = await strictPrecheck(options.input, { journal, output });
    if (found) {
      return { ...progress, invalid: found.length, invalidRows: found, failures, stoppedEarly: true, resumedRun: state.runs > 0 };
    }
  }

  // 1. Enqueue what has no credentials yet.
  let batch: Array<{ nodeId: string; line: number; row: QueuedRow }> = [];
  const starts: Array<Promise<void>> = [];
  for await (const row of readDevices(options.input)) {
    if (stop || options.signal?.aborted) break;
    const problem = rowProblem(row, seen);
    if (problem) {
      const { message, nodeId } = problem;
      progress.invalid++;
      progress.processed++;
      invalidRows.push({ line: row.line, nodeId, code: 'INVALID_INPUT', message });
      await journal.append({ t: 'invalid', line: row.line, node: nodeId, message });
      if (options.strict) stop = true;
      continue;
    }
    const nodeId = (row.request as RegisterRequest).nodeId;
    if (state.done.has(nodeId)) {
      progress.skipped++;
      progress.processed++;
      continue;
    }
    pending.add(nodeId);
    // As before a local call: from here the row may reach the cloud. Should the queue be lost
    // (a Redis restarted without persistence), the next run looks these rows up before registering.
    starts.push(journal.append({ t: 'start', node: nodeId, line: row.line, at: Date.now() }));
    batch.push({ nodeId, line: row.line, row: { line: row.line, request: row.request as RegisterRequest, uncertain: state.uncertain.has(nodeId) || undefined } });
    if (batch.length >= BATCH) {
      await Promise.all(starts.splice(0));
      await queue.enqueue(batch);
      batch = [];
    }
  }
  await Promise.all(starts.splice(0));
  await queue.enqueue(batch);
  report();

  // 2. Collect: durable in the journal first, then the job (and its sealed credentials) leaves Redis.
  try {
    while (pending.size > 0 && !options.signal?.aborted) {
      const settled = await queue.settled(BATCH);
      const ours = settled.filter((s) => pending.has(s.row.request.nodeId) || state.done.has(s.row.request.nodeId));
      if (ours.length === 0) {
        queued = await queue.counts();
        report();
        await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
        continue;
      }
      for (const s of ours) {
        const nodeId = s.row.request.nodeId;
        if (!pending.has(nodeId)) {
          await s.remove(); // collected by an earlier run before its coordinator died
          continue;
        }
        const outcome: RowOutcome = s.outcome ?? { kind: 'fail', code: 'UNAVAILABLE', message: `the queue gave up on this row: ${s.failedReason}`, final: false };
        if (outcome.kind === 'done') {
          await journal.append({ t: 'done', node: nodeId, deviceId: outcome.cred.deviceId, cred: outcome.cred });
          output.appendLater(outcome.cred);
          state.done.add(nodeId);
          progress[outcome.outcome]++;
        } else if (outcome.code === 'INVALID_INPUT') {
          await journal.append({ t: 'fail', node: nodeId, line: s.line, code: outcome.code, message: outcome.message, final: true });
          progress.invalid++;
          invalidRows.push({ line: s.line, nodeId, code: outcome.code, message: outcome.message });
        } else {
          await journal.append({ t: 'fail', node: nodeId, line: s.line, code: outcome.code, message: outcome.message, final: outcome.final });
          progress.failed++;
          failures.push({ line: s.line, nodeId, code: outcome.code, message: outcome.message });
        }
        await s.remove();
        pending.delete(nodeId);
        progress.processed++;
      }
      report();
    }
  } finally {
    await journal.close();
    await output.close();
  }
  invalidRows.sort((a, b) => a.line - b.line);
  failures.sort((a, b) => a.line - b.line);
  return { ...progress, invalidRows, failures, stoppedEarly: stop || Boolean(options.signal?.aborted), resumedRun: state.runs > 0 };
}
