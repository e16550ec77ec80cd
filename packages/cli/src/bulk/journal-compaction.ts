import { chmod, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readJsonLines } from './durable-file.js';
import type { CredentialLine, JournalRecord } from './journal.js';

/**
 * Drops the second copy of the credentials from a journal once the credentials file holds them
 * and is synced (a run's end): the `done` records keep node and device id (what a re-run needs
 * to say "already done") and lose `cred`. A `done` record whose node is not in the credentials
 * file keeps its credentials. The journal is rewritten to a temporary file, synced and renamed
 * over the old one (atomic): a crash leaves the old journal or the new one, never a mix.
 * Must run under the run's lock, after the journal is closed. Resolves with whether the journal
 * still holds credentials.
 */
export async function compactJournal(journalPath: string, outputPath: string): Promise<boolean> {
  const records = await readJsonLines<JournalRecord>(journalPath);
  if (!records.some((r) => r.t === 'done' && r.cred)) return false;
  const inOutput = new Set((await readJsonLines<CredentialLine>(outputPath)).map((c) => c.nodeId));
  let kept = false;
  const text = records
    .map((r) => {
      if (r.t !== 'done' || !r.cred) return r;
      if (!inOutput.has(r.node)) return (kept = true), r;
      return { t: r.t, node: r.node, deviceId: r.deviceId };
    })
    .map((r) => `${JSON.stringify(r)}\n`)
    .join('');
  const temporary = `${journalPath}.compacting`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await chmod(temporary, 0o600);
    await handle.writeFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temporary, journalPath);
  // The rename itself survives a power loss once the directory is synced.
  const dir = await open(dirname(journalPath), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
  return kept;
}
