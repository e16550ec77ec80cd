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
