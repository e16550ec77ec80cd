import { hostname } from 'node:os';
import { open, readFile, unlink } from 'node:fs/promises';
import { CliError } from '../output/cli-error.js';
import { EXIT } from '../output/exit-codes.js';

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * One bulk run per journal: a second run on the same output would register the same rows
 * again (new secrets kill the first run's) and interleave two journals' records.
 *
 * An O_EXCL lock file holding the owner's pid and host. A lock whose owner is a dead process
 * on this host is taken over at once, so resuming right after `kill -9` just works (a
 * timestamp-based stale rule, as in proper-lockfile, would make every resume wait it out).
 */
export class RunLock {
  private constructor(readonly path: string) {}

  static async acquire(path: string, guarded: string): Promise<RunLock> {
    const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(JSON.stringify(owner));
        await handle.close();
        return new RunLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await readOwner(path);
      if (holder && isAlive(holder)) {
        throw new CliError(
          `another provisio bulk (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}) is writing ${guarded}; ` +
            `wait for it to finish, or if that process is gone for good, delete ${path}`,
          EXIT.BUSY,
        );
      }
      // The owner died (kill -9, power loss) or the file is unreadable: take the lock over.
      await unlink(path).catch(() => undefined);
    }
    throw new CliError(`could not take the lock ${path} for ${guarded}`, EXIT.BUSY);
  }

  async release(): Promise<void> {
    await unlink(this.path).catch(() => undefined);
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as LockOwner;
    return Number.isInteger(owner.pid) && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** A lock held from another host cannot be checked from here: it counts as alive. */
function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
