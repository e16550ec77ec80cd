import { chmod, open, readFile, truncate, type FileHandle } from 'node:fs/promises';

/** How long a lazy record may wait for a sync that another record would trigger anyway. */
const LAZY_SYNC_MS = 20;

type Waiter = { done: () => void; fail: (e: unknown) => void };

/**
 * An append-only file whose `append` resolves only once the line is on disk (fdatasync).
 * Concurrent appends are committed together (group commit), so durability costs one sync per
 * batch, not per line. A `lazy` append is written at once (a kill -9 cannot lose it) but its sync
 * rides along with the next eager append's, or comes within 20 ms: callers that do not wait for it
 * share syncs instead of each triggering one. Opened with `sync: false` (a file another durable
 * file can rebuild), batches are written without a sync, and only `close()` syncs.
 */
export class DurableAppender {
  private queue: Array<Waiter & { text: string; lazy: boolean }> = [];
  /** Written, waiting for the next sync. */
  private unsynced: Waiter[] = [];
  private syncWanted = false;
  private lazyTimer: NodeJS.Timeout | undefined;
  private flushing = false;

  private constructor(
    private readonly handle: FileHandle,
    private readonly sync: boolean,
  ) {}

  /** Opens (creating with `mode`) and repairs a torn last line left by a crash. */
  static async open(path: string, mode = 0o600, options: { sync?: boolean } = {}): Promise<DurableAppender> {
    await repairTornTail(path);
    const handle = await open(path, 'a', mode);
    await chmod(path, mode);
    return new DurableAppender(handle, options.sync ?? true);
  }

  /** Resolves once the record is synced; `lazy`: the sync may wait up to 20 ms for company. */
  append(record: unknown, options: { lazy?: boolean } = {}): Promise<void> {
    return new Promise((done, fail) => {
      const lazy = options.lazy ?? false;
      this.queue.push({ text: `${JSON.stringify(record)}\n`, done, fail, lazy });
      // Not unref()'d: a record waiting for its sync is pending work.
      if (lazy) this.lazyTimer ??= setTimeout(() => {
        this.lazyTimer = undefined;
        this.syncWanted = true;
        this.kick();
      }, LAZY_SYNC_MS);
      this.kick();
    });
  }

  /**
   * Appends without waiting for the disk: the record goes out with the next batch. For records
   * that only save work on resume (losing one to a crash costs a re-check, never data).
   */
  appendLater(record: unknown): void {
    this.append(record, { lazy: true }).catch(() => undefined);
  }

  async close(): Promise<void> {
    while (this.flushing || this.queue.length || this.unsynced.length) {
      // Everything written and synced before the file closes (lazy records included).
      this.syncWanted = true;
      this.kick();
      await new Promise((r) => setTimeout(r, 1));
    }
    if (this.lazyTimer) clearTimeout(this.lazyTimer);
    this.lazyTimer = undefined;
    if (!this.sync) await this.handle.datasync();
    await this.handle.close();
  }

  private kick(): void {
    if (!this.flushing) void this.flush();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length || (this.syncWanted && this.unsynced.length)) {
      if (this.queue.length) {
        const batch = this.queue.splice(0);
        try {
          await this.handle.write(batch.map((b) => b.text).join(''));
          this.unsynced.push(...batch);
          // An eager record in the batch: sync now (lazy ones written with it share that sync).
          if (batch.some((b) => !b.lazy)) this.syncWanted = true;
        } catch (error) {
          for (const b of batch) b.fail(error);
        }
      }
      if (!this.sync) {
        for (const b of this.unsynced.splice(0)) b.done();
      } else if (this.syncWanted && this.unsynced.length) {
        this.syncWanted = false;
        const waiting = this.unsynced.splice(0);
        try {
          await this.handle.datasync();
          for (const b of waiting) b.done();
        } catch (error) {
          for (const b of waiting) b.fail(error);
        }
      }
    }
    if (this.unsynced.length === 0) this.syncWanted = false;
    this.flushing = false;
  }
}

/** Cuts a partial last line (a write interrupted by kill -9) so the next append starts clean. */
async function repairTornTail(path: string): Promise<void> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch {
    return;
  }
  if (content.length === 0 || content[content.length - 1] === 0x0a) return;
  const lastNewline = content.lastIndexOf(0x0a);
  await truncate(path, lastNewline + 1);
}

/** Reads a JSONL file written by DurableAppender; a torn last line is ignored. */
export async function readJsonLines<T>(path: string): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      /* torn tail */
    }
  }
  return out;
}
