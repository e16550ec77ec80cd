import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
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
 * A lock file holding the owner's pid and host, created atomically (link). A lock whose owner is a dead process
 * on this host is taken over at once, so resuming right after `kill -9` just works (a
 * timestamp-based stale rule, as in proper-lockfile, would make every resume wait it out).
 */
export class RunLock {
  private constructor(readonly path: string) {}

  static async acquire(path: string, guarded: string): Promise<RunLock> {
    const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    // The owner is written to a file of our own first and linked into place: link() is atomic
    // and fails if the lock exists, so a lock file is never seen empty or half-written (an
    // open('wx') followed by a write let a second run read "" and take the lock as stale).
    const mine = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(mine, JSON.stringify(owner), { mode: 0o600, flag: 'wx' });
    try {
      for (let attempt = 0; attempt < 20; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
        try {
          await link(mine, path);
          return new RunLock(path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const holder = await readOwner(path);
        if (holder === 'gone') continue;
        if (holder === undefined || isAlive(holder)) throw busy(path, guarded, holder);
        await takeOver(path, holder);
      }
      throw new CliError(`could not take the lock ${path} for ${guarded}`, EXIT.BUSY);
    } finally {
      await unlink(mine).catch(() => undefined);
    }
  }

  async release(): Promise<void> {
    await unlink(this.path).catch(() => undefined);
  }
}

/** The lock's owner; 'gone' if the lock vanished meanwhile; undefined if it is unreadable. */
async function readOwner(path: string): Promise<LockOwner | 'gone' | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return Number.isInteger(owner.pid) && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes the lock of a dead owner, and only that one. Two runs may find the same stale lock;
 * the slower one must not delete the lock the faster one has just taken. So a stale lock is
 * removed only under a short-lived guard (`<lock>.takeover`, created atomically like the lock),
 * and only after reading, under the guard, that it is still the dead owner's. A guard left by a
 * run killed inside this section is removed when its owner is found dead.
 */
async function takeOver(path: string, dead: LockOwner): Promise<void> {
  const guard = `${path}.takeover`;
  const mine = `${guard}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(mine, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }), { mode: 0o600, flag: 'wx' });
  try {
    try {
      await link(mine, guard);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const other = await readOwner(guard);
      if (other !== undefined && other !== 'gone' && !isAlive(other)) await unlink(guard).catch(() => undefined);
      return; // another run is taking over: look again
    }
    try {
      const now = await readOwner(path);
      if (now !== undefined && now !== 'gone' && now.pid === dead.pid && now.host === dead.host && now.startedAt === dead.startedAt) {
        await unlink(path).catch(() => undefined);
      }
    } finally {
      await unlink(guard).catch(() => undefined);
    }
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}

function busy(path: string, guarded: string, holder: LockOwner | undefined): CliError {
  const who = holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}` : 'its lock file cannot be read';
  return new CliError(
    `another provisio bulk (${who}) is writing ${guarded}; wait for it to finish, or if that process is gone for good, delete ${path}`,
    EXIT.BUSY,
  );
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
