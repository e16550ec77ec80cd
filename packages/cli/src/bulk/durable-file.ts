import { chmod, open, readFile, truncate, type FileHandle } from 'node:fs/promises';

/**
 * An append-only file whose `append` resolves only once the line is on disk (fdatasync).
 * Concurrent appends are committed together (group commit), so durability costs one sync per
 * batch, not per line. Opened with `sync: false` (a file another durable file can rebuild), a
 * batch is written without a sync, and only `close()` syncs.
 */
export class DurableAppender {
  private queue: Array<{ text: string; done: () => void; fail: (e: unknown) => void }> = [];
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

  append(record: unknown): Promise<void> {
    return new Promise((done, fail) => {
      this.queue.push({ text: `${JSON.stringify(record)}\n`, done, fail });
      if (!this.flushing) void this.flush();
    });
  }

  /**
   * Appends without waiting for the disk: the record goes out with the next batch. For records
   * that only save work on resume (losing one to a crash costs a re-check, never data).
   */
  appendLater(record: unknown): void {
    this.append(record).catch(() => undefined);
  }

  async close(): Promise<void> {
    while (this.flushing || this.queue.length) await new Promise((r) => setTimeout(r, 1));
    if (!this.sync) await this.handle.datasync();
    await this.handle.close();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0);
      try {
        await this.handle.write(batch.map((b) => b.text).join(''));
        if (this.sync) await this.handle.datasync();
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.fail(error);
      }
    }
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
