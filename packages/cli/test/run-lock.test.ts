import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RunLock } from '../src/bulk/run-lock.js';
import { EXIT } from '../src/output/exit-codes.js';
import { tempDir } from './helpers.js';

const lockModule = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'bulk', 'run-lock.js')).href;

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

/**
 * Processes that each try to take the lock at `startAt` (ms epoch) and print won/busy. A winner
 * holds the lock until every contender has answered (its stdin is closed then), so a slow
 * starter cannot find a finished winner's lock and rightly take it over.
 */
function contenders(count: number, path: string, startAt: number): Promise<string[]> {
  const script = `
    const { RunLock } = await import(${JSON.stringify(lockModule)});
    while (Date.now() < ${startAt}) {}
    try { await RunLock.acquire(${JSON.stringify(path)}, 'out.jsonl'); console.log('won'); process.stdin.resume(); await new Promise((r) => process.stdin.on('end', r)); }
    catch (e) { console.log(e.exitCode === ${EXIT.BUSY} ? 'busy' : 'error ' + e.message); }`;
  return new Promise((resolve) => {
    const answers: string[] = [];
    const children = Array.from({ length: count }, () => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (!out.includes('\n')) return;
        answers.push(out.trim());
        if (answers.length === count) for (const c of children) c.stdin.end();
      });
      return child;
    });
    let closed = 0;
    for (const child of children) child.on('close', () => ++closed === count && resolve(answers));
  });
}

describe('cli: the bulk run lock (issue 12.4)', function () {
  this.timeout(30_000);

  it('a lock whose owner cannot be read (being written, or damaged) is not taken over: BUSY, and the file is left alone', async () => {
    const dir = tempDir();
    const path = join(dir, 'out.jsonl.journal.lock');
    writeFileSync(path, '');
    const error = (await RunLock.acquire(path, 'out.jsonl').catch((e: unknown) => e)) as { exitCode?: number; message: string };
    expect(error.exitCode).to.equal(EXIT.BUSY);
    expect(error.message).to.include('another provisio bulk').and.include(path);
    expect(readFileSync(path, 'utf8')).to.equal('');
  });

  it('a live owner keeps it; a dead owner\'s lock is taken over at once; no temporary file is left', async () => {
    const dir = tempDir();
    const path = join(dir, 'out.jsonl.journal.lock');
    const first = await RunLock.acquire(path, 'out.jsonl');
    const again = (await RunLock.acquire(path, 'out.jsonl').catch((e: unknown) => e)) as { exitCode?: number };
    // Our own pid counts as alive: a second run in the same process is refused too.
    expect(again.exitCode).to.equal(EXIT.BUSY);
    await first.release();
    writeFileSync(path, JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: new Date().toISOString() }));
    const taken = await RunLock.acquire(path, 'out.jsonl');
    expect(JSON.parse(readFileSync(path, 'utf8'))).to.include({ pid: process.pid });
    await taken.release();
    expect(existsSync(path)).to.equal(false);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  for (const [name, prepare] of [
    ['no lock at all', () => undefined],
    ['a dead run\'s lock', (path: string) => writeFileSync(path, JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }))],
  ] as Array<[string, (path: string) => void]>) {
    it(`8 runs starting at the same moment on ${name}: exactly one takes it`, async () => {
      const dir = tempDir();
      const path = join(dir, 'out.jsonl.journal.lock');
      prepare(path);
      const startAt = Date.now() + 1500; // after every process has started (on a quiet machine)
      const results = await contenders(8, path, startAt);
      expect(results.filter((r) => r === 'won'), results.join(',')).to.have.length(1);
      expect(results.filter((r) => r === 'busy')).to.have.length(7);
    });
  }
});
