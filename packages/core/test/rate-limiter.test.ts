import { expect } from 'chai';
import { RateLimiter, backoffDelay, DEFAULT_RETRY } from '../src/index.js';

describe('core: RateLimiter', () => {
  it('holds its configured rate: never more than `limit` grants in any window', async () => {
    const limiter = new RateLimiter({ limit: 10, intervalMs: 200, marginMs: 0 });
    const started = performance.now();
    const grantedAt: number[] = [];
    await Promise.all(
      Array.from({ length: 35 }, () => limiter.acquire().then(() => grantedAt.push(performance.now() - started))),
    );
    grantedAt.sort((a, b) => a - b);
    for (let i = 10; i < grantedAt.length; i++) {
      // grant i and grant i-10 must be at least one interval apart (timer slack of 2 ms allowed)
      expect(grantedAt[i]! - grantedAt[i - 10]!).to.be.at.least(198);
    }
    // 35 calls at 10 per 200 ms need three full intervals after the first burst.
    expect(grantedAt[34]).to.be.at.least(598);
    expect(limiter.grantedCount).to.equal(35);
    limiter.close();
  });

  it('lets a burst up to the limit through at once', async () => {
    const limiter = new RateLimiter({ limit: 5, intervalMs: 10_000 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 5 }, () => limiter.acquire()));
    expect(performance.now() - started).to.be.below(50);
    limiter.close();
  });

  it('a slot handed back unused goes to the next caller at once and is not counted', async () => {
    const limiter = new RateLimiter({ limit: 2, intervalMs: 10_000 });
    const first = await limiter.acquireSlot();
    await limiter.acquireSlot();
    const started = performance.now();
    const third = limiter.acquireSlot();
    first(false);
    await third;
    expect(performance.now() - started).to.be.below(50);
    expect(limiter.grantedCount).to.equal(2);
    limiter.close();
  });

  it('backs off exponentially with full jitter, capped, and honours Retry-After as a floor', () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, policy, undefined, () => 0.999)).to.equal(99);
    expect(backoffDelay(3, policy, undefined, () => 0.999)).to.equal(399);
    expect(backoffDelay(10, policy, undefined, () => 0.999)).to.equal(999);
    expect(backoffDelay(1, policy, undefined, () => 0)).to.equal(0);
    expect(backoffDelay(1, policy, 700, () => 0)).to.equal(700);
    // A server's Retry-After is honoured in full, above maxDelayMs (the client caps it with maxRetryAfterMs).
    expect(backoffDelay(1, policy, 3_000, () => 0)).to.equal(3_000);
  });
});

describe('core: RateLimiter keeps a waiting program alive', () => {
  it('a process whose only pending work is a limiter wait finishes that work (it does not exit early)', async () => {
    const { execFile } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const entry = fileURLToPath(new URL('../src/index.js', import.meta.url));
    // Not awaited at top level, as in an app's event handler: the wait must hold the loop open.
    const script = `import(${JSON.stringify(entry)}).then(({ RateLimiter }) => {
      const limiter = new RateLimiter({ limit: 1, intervalMs: 300 });
      let done = 0;
      for (let i = 0; i < 3; i++) limiter.acquire().then(() => { done++; if (done === 3) { console.log('all granted'); limiter.close(); } });
    });`;
    const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((resolve) => {
      const child = execFile(process.execPath, ['--input-type=module', '-e', script], (error, out) =>
        resolve({ stdout: out, code: error ? ((error as { code?: number }).code ?? 1) : 0 }),
      );
      void child;
    });
    expect(stdout.trim()).to.equal('all granted');
    expect(code).to.equal(0);
  });

  it('an idle limiter, and one that was closed, never hold the process open', async () => {
    const { execFile } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const entry = fileURLToPath(new URL('../src/index.js', import.meta.url));
    const script = `import(${JSON.stringify(entry)}).then(async ({ RateLimiter }) => {
      const idle = new RateLimiter({ limit: 5, intervalMs: 60000 });
      await idle.acquire();
      const closed = new RateLimiter({ limit: 1, intervalMs: 60000 });
      await closed.acquire();
      closed.acquire().then(() => console.log('released by close'));
      closed.close();
    });`;
    const started = performance.now();
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 15_000 }, (error, out) => (error ? reject(error) : resolve(out))),
    );
    expect(stdout.trim()).to.equal('released by close');
    expect(performance.now() - started).to.be.below(15_000);
  });
});
