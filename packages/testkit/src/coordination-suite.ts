import { expect } from 'chai';
import { TokenManager, type AccessToken, type Coordination, type ReleaseSlot, type TokenSource } from '@provisio/core';

/**
 * How to make "holders" of one coordination: each `connect()` is what one process would have
 * (for Redis, its own connection), so the suite proves sharing between them, not within one.
 */
export interface CoordinationHarness {
  name: string;
  /** A fresh holder: a coordination as one process would open it. */
  connect(): Promise<Coordination>;
  /** Runs before each test (e.g. empty the Redis database). */
  reset?(): Promise<void>;
}

/** A token source that counts its logins and hands out numbered tokens, slowly enough to overlap. */
class CountingSource implements TokenSource {
  logins = 0;
  async login(): Promise<AccessToken> {
    this.logins++;
    const n = this.logins;
    await new Promise((r) => setTimeout(r, 30));
    return { value: `token-${n}`, expiresAt: Date.now() + 3_600_000 };
  }
}

/** The largest number of grants inside any window of `intervalMs`. */
function maxInWindow(times: number[], intervalMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= intervalMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/**
 * The shared suite of the coordination port (like abstract-level's): every implementation must
 * share one budget and one token between its holders. Call it at the top level of a test file.
 */
export function runCoordinationSuite(harness: CoordinationHarness): void {
  describe(`coordination port: ${harness.name}`, function () {
    this.timeout(20_000);
    const open: Coordination[] = [];
    const holders = async (n: number): Promise<Coordination[]> => {
      const list = await Promise.all(Array.from({ length: n }, () => harness.connect()));
      open.push(...list);
      return list;
    };
    beforeEach(async () => harness.reset?.());
    afterEach(async () => {
      await Promise.allSettled(open.splice(0).map((c) => c.close()));
    });

    it('three holders of one app never exceed its budget in any window, and use it', async () => {
      const limit = 5;
      const intervalMs = 300;
      const limiters = (await holders(3)).map((c) => c.flowLimiter('app-a', { limit, intervalMs }));
      const granted: number[] = [];
      // Each call takes 0-20 ms; its slot counts from its end, so the window is measured from the ends.
      await Promise.all(
        limiters.flatMap((limiter) =>
          Array.from({ length: 8 }, async () => {
            const release = await limiter.acquireSlot();
            await new Promise((r) => setTimeout(r, Math.random() * 20));
            granted.push(performance.now());
            release();
          }),
        ),
      );
      expect(granted).to.have.length(24);
      expect(maxInWindow(granted, intervalMs)).to.be.at.most(limit);
    });

    it('a slot comes back one interval after its call ended, not after it was granted', async () => {
      const [a, b] = await holders(2);
      const intervalMs = 400;
      const first = (a as Coordination).flowLimiter('app-b', { limit: 1, intervalMs });
      const second = (b as Coordination).flowLimiter('app-b', { limit: 1, intervalMs });
      const release = await first.acquireSlot();
      await new Promise((r) => setTimeout(r, 300)); // a slow call
      const endedAt = performance.now();
      release();
      await second.acquireSlot();
      expect(performance.now() - endedAt).to.be.at.least(intervalMs - 5);
    });

    it('release(false) hands the slot back at once: another holder takes it without waiting the interval', async () => {
      const [a, b] = await holders(2);
      const minute = { limit: 1, intervalMs: 60_000 };
      const release = await (a as Coordination).flowLimiter('app-c', minute).acquireSlot();
      const next = (b as Coordination).flowLimiter('app-c', minute).acquireSlot();
      release(false);
      const got = await Promise.race([next, new Promise<'waited'>((r) => setTimeout(() => r('waited'), 5000))]);
      expect(got).to.be.a('function');
      (got as ReleaseSlot)();
    });

    it('two apps have budgets of their own', async () => {
      const [a] = await holders(1);
      const minute = { limit: 1, intervalMs: 60_000 };
      (await (a as Coordination).flowLimiter('app-d', minute).acquireSlot())();
      const other = await Promise.race([
        (a as Coordination).flowLimiter('app-e', minute).acquireSlot(),
        new Promise<'waited'>((r) => setTimeout(() => r('waited'), 5000)),
      ]);
      expect(other).to.be.a('function');
    });

    it('holders that all need a token at once share one login', async () => {
      const source = new CountingSource();
      const managers = (await holders(4)).map((c) => new TokenManager(source, { store: c.tokenStore('app-f') }));
      const tokens = await Promise.all(managers.flatMap((m) => [m.get(), m.get(), m.get()]));
      expect(source.logins).to.equal(1);
      expect(new Set(tokens)).to.deep.equal(new Set(['token-1']));
    });

    it('after an invalid-token answer seen by every holder: exactly one re-login, and all use the new token', async () => {
      const source = new CountingSource();
      const managers = (await holders(4)).map((c) => new TokenManager(source, { store: c.tokenStore('app-g') }));
      const first = await Promise.all(managers.map((m) => m.get()));
      expect(new Set(first)).to.deep.equal(new Set(['token-1']));
      const renewed = await Promise.all(managers.flatMap((m) => [m.invalidate('token-1'), m.invalidate('token-1')]));
      expect(source.logins).to.equal(2);
      expect(new Set(renewed)).to.deep.equal(new Set(['token-2']));
      // A late report of the old token changes nothing.
      expect(await (managers[3] as TokenManager).invalidate('token-1')).to.equal('token-2');
      expect(source.logins).to.equal(2);
    });

    it('a holder that comes later reuses the stored token instead of logging in', async () => {
      const source = new CountingSource();
      const [a, b] = await holders(2);
      await new TokenManager(source, { store: (a as Coordination).tokenStore('app-h') }).get();
      const late = new TokenManager(source, { store: (b as Coordination).tokenStore('app-h') });
      expect(await late.get()).to.equal('token-1');
      expect(source.logins).to.equal(1);
    });

    it('a failed login is reported to its caller and the next one may log in', async () => {
      let fail = true;
      const source: TokenSource = {
        async login() {
          if (fail) throw new Error('refused');
          return { value: 'good', expiresAt: Date.now() + 3_600_000 };
        },
      };
      const [a, b] = await holders(2);
      const one = new TokenManager(source, { store: (a as Coordination).tokenStore('app-i') });
      const two = new TokenManager(source, { store: (b as Coordination).tokenStore('app-i') });
      let error: unknown;
      await one.get().catch((e: unknown) => (error = e));
      expect((error as Error).message).to.equal('refused');
      fail = false;
      expect(await two.get()).to.equal('good');
    });
  });
}
