import type { DeviceCredentials, ErrorCode, SealedCredentials } from '@provisio/core';
import { readJsonLines } from './durable-file.js';

/** Journal records (JSONL, flushed to disk): written before and after each call. */
export type JournalRecord =
  | { t: 'run'; at: number; input: string }
  | { t: 'start'; node: string; line: number; at: number }
  /** A row whose start was written ahead but which the run stopped before sending: nothing was sent. */
  | { t: 'unsent'; node: string; line: number }
  /**
   * Carries the credentials: the journal is the write-ahead log the credentials file is rebuilt
   * from. Without `cred` once a run's end has compacted the journal (the synced credentials file holds them).
   */
  | { t: 'done'; node: string; deviceId: string; cred?: CredentialLine }
  | { t: 'fail'; node: string; line: number; code: ErrorCode; message: string; final: boolean }
  | { t: 'invalid'; line: number; node?: string; message: string };

/** One line of the credentials file. */
export interface CredentialLine {
  line: number;
  nodeId: string;
  deviceId: string;
  credentials: DeviceCredentials | SealedCredentials;
  /** Re-issued on resume for a device whose first answer was lost. */
  recovered?: boolean;
}

/**
 * Outcomes that prove nothing was created on the cloud: such a row is simply tried again.
 * Anything else after a `start` (no answer, a timeout, a 5xx) leaves the device's state
 * unknown, and the resume checks it before acting.
 */
export const NOTHING_CREATED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'INVALID_INPUT',
  'AUTHENTICATION_FAILED',
  'ACCESS_DENIED',
  'ALREADY_EXISTS',
  'QUOTA_EXCEEDED',
  'UNSUPPORTED',
  'NOT_FOUND',
  'DEVICE_ONLINE',
]);

export interface ResumeState {
  /** Node ids with credentials (in the journal or the credentials file): never registered again. */
  done: Set<string>;
  /** Credentials the journal has but the credentials file lacks (a crash before its flush). */
  missingFromOutput: CredentialLine[];
  /** Node ids whose last call may or may not have reached the cloud. */
  uncertain: Set<string>;
  runs: number;
}

/** What earlier runs achieved, from the credentials file (the truth) and the journal. */
export async function loadResumeState(journalPath: string, outputPath: string): Promise<ResumeState> {
  const inOutput = new Set((await readJsonLines<CredentialLine>(outputPath)).map((c) => c.nodeId));
  const done = new Set(inOutput);
  const missingFromOutput: CredentialLine[] = [];
  const open = new Set<string>();
  let runs = 0;
  for (const record of await readJsonLines<JournalRecord>(journalPath)) {
    if (record.t === 'run') runs++;
    else if (record.t === 'start') open.add(record.node);
    else if (record.t === 'done') {
      open.delete(record.node);
      done.add(record.node);
      // A compacted record (no `cred`) whose line is no longer in the credentials file: the
      // credentials were handed over and the file deleted; the device is done all the same.
      if (!inOutput.has(record.node) && record.cred) {
        inOutput.add(record.node);
        missingFromOutput.push(record.cred);
      }
    } else if ((record.t === 'fail' && record.final) || record.t === 'unsent') open.delete(record.node);
  }
  for (const node of done) open.delete(node);
  return { done, missingFromOutput, uncertain: open, runs };
}
