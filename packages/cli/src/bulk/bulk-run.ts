import type { DeviceCredentials, ProvisioningProvider, Registration } from '@provisio/core';
import { openRun } from './open-run.js';
import { RunLock } from './run-lock.js';
import { readDevices, type InputRow } from './input-reader.js';
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
}

/**
 * Registers every device of the input with bounded concurrency. Before each call a `start`
 * record is flushed to the journal; after it a `done` record with the credentials is flushed
 * (the journal is mode 0600 like the credentials file, which is written from it). A re-run skips devices with credentials and, for a call whose answer
 * was lost, looks the device up and re-issues its credentials instead of registering it twice.
 */
export async function runBulk(options: BulkOptions): Promise<BulkSummary> {
  const journalPath = options.journal ?? `${options.output}.journal`;
  const lock = await RunLock.acquire(`${journalPath}.lock`, options.output);
  try {
    return await runLocked(options, journalPath);
  } finally {
    await lock.release();
  }
}

async function runLocked(options: BulkOptions, journalPath: string): Promise<BulkSummary> {
  const { state, journal, output } = await openRun(journalPath, options.output, options.input);

  const progress: BulkProgress = { processed: 0, registered: 0, recovered: 0, skipped: 0, invalid: 0, failed: 0 };
  const invalidRows: BulkIssue[] = [];
  const failures: BulkIssue[] = [];
  const seenInInput = new Set<string>();
  let stop = false;

  const report = () => options.onProgress?.({ ...progress });

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
    // follows without waiting and is completed from the journal after a crash.
    await journal.append({ t: 'done', node: nodeId, deviceId: registration.deviceId, cred: line });
    output.appendLater(line);
    state.done.add(nodeId);
  };

  const handle = async (row: InputRow): Promise<void> => {
    if (row.error || !row.request) return invalid(row, row.error ?? 'empty row');
    const request = row.request;
    const nodeId = typeof request.nodeId === 'string' ? request.nodeId : '';
    if (!nodeId) return invalid(row, 'nodeId is required');
    if (seenInInput.has(nodeId)) return invalid(row, `nodeId ${nodeId} appears earlier in the input`, nodeId);
    seenInInput.add(nodeId);
    if (state.done.has(nodeId)) {
      progress.skipped++;
      return;
    }
    const uncertain = state.uncertain.has(nodeId);
    await journal.append({ t: 'start', node: nodeId, line: row.line, at: Date.now() });
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

  const rows = readDevices(options.input);
  let next = Promise.resolve();
  /** Rows are handed out one at a time: the generator is not safe for concurrent next(). */
  const take = async (): Promise<IteratorResult<InputRow>> => {
    const result = next.then(() => rows.next());
    next = result.then(() => undefined, () => undefined);
    return result;
  };
  const worker = async () => {
    for (;;) {
      if (stop || options.signal?.aborted) return;
      const { value, done } = await take();
      if (done) return;
      await handle(value);
      progress.processed++;
      report();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    await journal.close();
    await output.close();
  }
  invalidRows.sort((a, b) => a.line - b.line);
  failures.sort((a, b) => a.line - b.line);
  return { ...progress, invalidRows, failures, stoppedEarly: stop || Boolean(options.signal?.aborted), resumedRun: state.runs > 0 };
}
