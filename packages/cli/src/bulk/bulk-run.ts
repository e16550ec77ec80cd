import type { DeviceCredentials, ProvisioningProvider, RegisterRequest, Registration } from '@provisio/core';
import { openRun } from './open-run.js';
import { RunLock } from './run-lock.js';
import { compactJournal } from './journal-compaction.js';
import { readDevices, type InputRow } from './input-reader.js';
import { rowProblem, strictPrecheck } from './strict-check.js';
import type { CredentialLine } from './journal.js';
import { failureOf, provisionDevice } from './provision-device.js';

export interface BulkOptions {
  provider: ProvisioningProvider;
  input: string;
  output: string;
  journal?: string;
  concurrency: number;
  strict: boolean;
  onProgress?: (p: BulkProgress) => void;
  /** Set by a signal handler: stop taking rows, finish what is in flight. */
  signal?: AbortSignal;
}

export interface BulkProgress {
  processed: number;
  registered: number;
  recovered: number;
  skipped: number;
  invalid: number;
  failed: number;
}

export interface BulkIssue {
  line: number;
  nodeId?: string;
  code: string;
  message: string;
}

export interface BulkSummary extends BulkProgress {
  invalidRows: BulkIssue[];
  failures: BulkIssue[];
  stoppedEarly: boolean;
  resumedRun: boolean;
  /** Whether the journal still holds a copy of credentials after the run (compacted at the end: normally not). */
  journalHoldsCredentials?: boolean;
}

/**
 * Registers every device of the input with bounded concurrency. Before each call a `start`
 * record is on disk in the journal; after it a `done` record with the credentials is flushed
 * (the journal is mode 0600 like the credentials file, which is written from it). A re-run skips
 * devices with credentials and, for a call whose answer was lost, looks the device up and
 * re-issues its credentials instead of registering it twice.
 *
 * The start records of the next rows are written ahead, one sync for a whole batch, while the
 * calls of the batches before are in flight: no call waits for its own start record. A crash can
 * leave at most two batches of rows started but never sent; the re-run looks each up (not found:
 * registered as usual), so that costs a lookup, never a duplicate. A run that stops by itself
 * (--strict, a signal) marks them `unsent`.
 *
 * Once the run has ended and the credentials file is synced, the journal is compacted: its
 * `done` records lose the credentials (the file holds them) and keep what a re-run needs.
 */
export async function runBulk(options: BulkOptions): Promise<BulkSummary> {
  const journalPath = options.journal ?? `${options.output}.journal`;
  const lock = await RunLock.acquire(`${journalPath}.lock`, options.output);
  try {
    const summary = await runLocked(options, journalPath);
    // The credentials file is synced: the journal's copy of the credentials can go.
    return { ...summary, journalHoldsCredentials: await compactJournal(journalPath, options.output) };
  } finally {
    await lock.release();
  }
}

async function runLocked(options: BulkOptions, journalPath: string): Promise<BulkSummary> {
  const { state, journal, output } = await openRun(journalPath, options.output, options.input);

  const progress: BulkProgress = { processed: 0, registered: 0, recovered: 0, skipped: 0, invalid: 0, failed: 0 };
  const invalidRows: BulkIssue[] = [];
  const failures: BulkIssue[] = [];
  /** Node ids of this input, for duplicate rows; `state.done` holds only earlier runs' (it does not grow). */
  const seenInInput = new Set<string>();
  let stop = false;

  const report = () => options.onProgress?.({ ...progress });
  /** A `done` record that could not be synced: the run stops and fails. */
  let syncError: unknown;

  const invalid = async (row: InputRow, message: string, nodeId?: string) => {
    progress.invalid++;
    invalidRows.push({ line: row.line, nodeId, code: 'INVALID_INPUT', message });
    await journal.append({ t: 'invalid', line: row.line, node: nodeId, message });
    if (options.strict) stop = true;
  };

  const record = async (row: InputRow, nodeId: string, registration: Registration, credentials: DeviceCredentials | Registration['credentials'], recovered: boolean) => {
    const line: CredentialLine = { line: row.line, nodeId, deviceId: registration.deviceId, credentials };
    if (recovered) line.recovered = true;
    // The journal is the write-ahead log: its flushed `done` record carries the credentials, so
    // one sync (shared with other workers' records) makes them safe; the credentials file
    // follows without a sync of its own and is completed from the journal after a crash.
    // The record is written at once (a kill -9 cannot lose it) and synced with the next batch
    // of start records, or within 20 ms; the worker does not wait for it. Until then only a power
    // loss can lose it, and the row is `start`ed, which the re-run looks up and re-issues (as for
    // an answer lost on the wire). The run ends only once every record is synced; a failed sync
    // fails the run.
    journal.append({ t: 'done', node: nodeId, deviceId: registration.deviceId, cred: line }, { lazy: true }).catch((error: unknown) => {
      syncError ??= error;
    });
    output.appendLater(line);
  };

  /** A row that will be sent: its start record is (being) written ahead. */
  interface Started {
    row: InputRow;
    request: RegisterRequest;
    nodeId: string;
    uncertain: boolean;
  }

  /** Rows that need no call are settled here (invalid, duplicate, done before); the others come back to be sent. */
  const classify = async (row: InputRow): Promise<Started | undefined> => {
    const problem = rowProblem(row, seenInInput);
    if (problem) return void (await invalid(row, problem.message, problem.nodeId));
    const request = row.request as RegisterRequest;
    const nodeId = request.nodeId;
    if (state.done.has(nodeId)) {
      progress.skipped++;
      return undefined;
    }
    return { row, request, nodeId, uncertain: state.uncertain.has(nodeId) };
  };

  const send = async ({ row, request, nodeId, uncertain }: Started): Promise<void> => {
    try {
      const outcome = await provisionDevice(options.provider, request, uncertain, (...issued) => record(row, ...issued));
      progress[outcome]++;
      state.uncertain.delete(nodeId);
    } catch (error) {
      const e = failureOf(error, uncertain);
      if (e.code === 'INVALID_INPUT') {
        await journal.append({ t: 'fail', node: nodeId, line: row.line, code: e.code, message: e.message, final: true });
        return invalid(row, e.message, nodeId);
      }
      const final = e.final;
      await journal.append({ t: 'fail', node: nodeId, line: row.line, code: e.code, message: e.message, final });
      progress.failed++;
      failures.push({ line: row.line, nodeId, code: e.code, message: e.message });
    }
  };

  if (options.strict) {
    // --strict: the whole input is checked first (no call); one invalid row and nothing is sent.
    const found = await strictPrecheck(options.input, { journal, output }, options.provider.checkRegister?.bind(options.provider));
    if (found) {
      return { ...progress, invalid: found.length, invalidRows: found, failures, stoppedEarly: true, resumedRun: state.runs > 0 };
    }
  }

  const rows = readDevices(options.input);
  const stopped = () => stop || Boolean(options.signal?.aborted);
  const batchSize = Math.max(1, options.concurrency);
  /** Rows whose start record is on disk, in input order. */
  const ready: Started[] = [];
  let exhausted = false;
  let filling: Promise<void> | undefined;
  /** A failed read or journal write stops every worker (the run fails as it did before). */
  let fillError: unknown;
  /** Reads the next batch of rows to send and writes their start records with one sync. */
  const fill = async (): Promise<void> => {
    const batch: Started[] = [];
    while (batch.length < batchSize && !stopped()) {
      const { value, done } = await rows.next();
      if (done) {
        exhausted = true;
        break;
      }
      const started = await classify(value);
      if (started) batch.push(started);
      else {
        progress.processed++;
        report();
      }
    }
    await Promise.all(batch.map(({ nodeId, row }) => journal.append({ t: 'start', node: nodeId, line: row.line, at: Date.now() })));
    ready.push(...batch);
  };
  const refill = (): Promise<void> => {
    filling ??= fill()
      .catch((error: unknown) => {
        fillError ??= error;
      })
      .finally(() => {
        filling = undefined;
      });
    return filling;
  };
  /** The next row to send; the batches after it are started ahead while this one is in flight. */
  const take = async (): Promise<Started | undefined> => {
    for (;;) {
      // A failed read or sync stops the run, but never mid-call: every worker finishes its call
      // and records what the cloud issued before the error is reported.
      if (fillError || syncError || workerError || stopped()) return undefined;
      const next = ready.shift();
      if (next) {
        // Up to two batches ahead: a sync delayed by a busy disk does not leave workers idle.
        if (ready.length < 2 * batchSize && !exhausted) void refill();
        return next;
      }
      if (exhausted && !filling) return undefined;
      await refill();
    }
  };
  /** A worker that failed (a journal write): the others take no new row, finish theirs, then the run fails. */
  let workerError: unknown;
  const worker = async () => {
    try {
      for (;;) {
        const started = await take();
        if (!started) return;
        await send(started);
        progress.processed++;
        report();
      }
    } catch (error) {
      workerError ??= error;
    }
  };
  try {
    // One worker's error must not end the run while the others' calls are in flight.
    await Promise.all(Array.from({ length: batchSize }, worker));
    await filling;
    // Started ahead, never sent (the run stopped): nothing to look up next time.
    for (const { nodeId, row } of ready.splice(0)) await journal.append({ t: 'unsent', node: nodeId, line: row.line });
  } finally {
    // Waits for every queued record to be synced.
    await journal.close();
    await output.close();
  }
  if (syncError) throw syncError;
  if (fillError) throw fillError;
  if (workerError) throw workerError;
  invalidRows.sort((a, b) => a.line - b.line);
  failures.sort((a, b) => a.line - b.line);
  return { ...progress, invalidRows, failures, stoppedEarly: stop || Boolean(options.signal?.aborted), resumedRun: state.runs > 0 };
}
