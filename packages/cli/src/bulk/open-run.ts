import { chmod, open as openFile } from 'node:fs/promises';
import { DurableAppender } from './durable-file.js';
import { loadResumeState, type ResumeState } from './journal.js';

/**
 * Opens a bulk run's journal and credentials file (both 0600) as every run starts: what earlier
 * runs achieved, the credentials a crash kept out of the output written back to it, a `run` record.
 */
export async function openRun(journalPath: string, outputPath: string, input: string): Promise<{ state: ResumeState; journal: DurableAppender; output: DurableAppender }> {
  const state = await loadResumeState(journalPath, outputPath);
  // Create the credentials file 0600 before anything is written to it.
  await (await openFile(outputPath, 'a', 0o600)).close();
  await chmod(outputPath, 0o600);
  const journal = await DurableAppender.open(journalPath);
  // Not synced per batch: the journal's flushed `done` records (with the credentials) rebuild it after a crash.
  const output = await DurableAppender.open(outputPath, 0o600, { sync: false });
  // Credentials the journal holds but a crash kept out of the credentials file.
  for (const line of state.missingFromOutput) await output.append(line);
  await journal.append({ t: 'run', at: Date.now(), input });
  return { state, journal, output };
}
