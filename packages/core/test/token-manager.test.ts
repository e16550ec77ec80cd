import { expect } from 'chai';
import { ProvisioningError, TokenManager, type AccessToken } from '../src/index.js';

function source(options: { lifetimeMs?: number; delayMs?: number; refreshFails?: ProvisioningError; now?: () => number } = {}) {
  let n = 0;
  const calls = { login: 0, refresh: 0 };
  const now = options.now ?? Date.now;
  const issue = (): AccessToken => {
    n++;
    return { value: `token-${n}`, refreshToken: `refresh-${n}`, expiresAt: now() + (options.lifetimeMs ?? 3_600_000) };
  };
  const wait = () => new Promise((r) => setTimeout(r, options.delayMs ?? 5));
  return {
    calls,
    login: async () => {
      calls.login++;
      await wait();
      return issue();
    },
    refresh: async () => {
      calls.refresh++;
      await wait();
      if (options.refreshFails) throw options.refreshFails;
      return issue();
    },
  };
}

describe('core: TokenManager (single flight)', () => {
  it('1,000 concurrent calls on a cold manager cause exactly 1 login', async () => {
    const src = source({ delayMs: 20 });
    const manager = new TokenManager(src);
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => manager.get()));
    expect(src.calls.login).to.equal(1);
    expect(new Set(tokens)).to.have.property('size', 1);
  });

  it('refreshes ahead of expiry with the refresh token, once for many callers', async () => {
    let now = Date.now();
    const src = source({ lifetimeMs: 100_000 });
    const manager = new TokenManager(src, { refreshAheadMs: 5_000, now: () => now });
    await manager.get(); // login
    now += 96_000; // inside the 5 s window before expiry
    const tokens = await Promise.all(Array.from({ length: 50 }, () => manager.get()));
    expect(src.calls).to.deep.equal({ login: 1, refresh: 1 });
    expect(new Set(tokens)).to.have.property('size', 1);
  });

  it('falls back to a login when the refresh token is refused (AUTHENTICATION_FAILED)', async () => {
    let now = 1_000_000;
    const refused = new ProvisioningError({ code: 'AUTHENTICATION_FAILED', message: 'refresh token rejected', vendorCode: '100208' });
    const src = source({ lifetimeMs: 100_000, refreshFails: refused, now: () => now });
    const manager = new TokenManager(src, { refreshAheadMs: 5_000, now: () => now });
    await manager.get();
    now += 96_000;
    const token = await manager.get();
    expect(token).to.equal('token-2');
    expect(src.calls).to.deep.equal({ login: 2, refresh: 1 });
    expect(manager.stats.refreshFailures).to.equal(1);
  });

  it('a refresh that fails for another reason (5xx) does not log in: the current token serves while valid', async () => {
    let now = 1_000_000;
    const down = new ProvisioningError({ code: 'UNAVAILABLE', message: 'HTTP 503', httpStatus: 503 });
    const src = source({ lifetimeMs: 100_000, refreshFails: down, now: () => now });
    const manager = new TokenManager(src, { refreshAheadMs: 8_000, now: () => now });
    expect(await manager.get()).to.equal('token-1');
    now += 96_000; // 4 s left: due for renewal
    expect(await manager.get()).to.equal('token-1');
    expect(src.calls).to.deep.equal({ login: 1, refresh: 1 });
    // Not on every call while the platform is down: after a quarter of what was left.
    await manager.get();
    expect(src.calls.refresh).to.equal(1);
    now += 1_500;
    await manager.get();
    expect(src.calls).to.deep.equal({ login: 1, refresh: 2 });
    // Once the token has expired, the refresh failure is the caller's error, as itself.
    now += 10_000;
    try {
      await manager.get();
      expect.fail('expected the refresh failure');
    } catch (error) {
      expect(error).to.equal(down);
    }
    expect(src.calls.login).to.equal(1);
  });

  it('invalidating the same stale token from 100 callers renews once', async () => {
    const src = source();
    const manager = new TokenManager(src);
    const stale = await manager.get();
    const renewed = await Promise.all(Array.from({ length: 100 }, () => manager.invalidate(stale)));
    expect(src.calls.login).to.equal(2);
    expect(new Set(renewed)).to.deep.equal(new Set(['token-2']));
    // A stale report arriving after the renewal changes nothing.
    expect(await manager.invalidate(stale)).to.equal('token-2');
    expect(src.calls.login).to.equal(2);
  });

  it('propagates a login failure to every waiting caller and recovers on the next call', async () => {
    let fail = true;
    const manager = new TokenManager({
      login: async () => {
        if (fail) throw new Error('down');
        return { value: 'ok', expiresAt: Date.now() + 3_600_000 };
      },
    });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => manager.get()));
    expect(results.every((r) => r.status === 'rejected')).to.equal(true);
    fail = false;
    expect(await manager.get()).to.equal('ok');
  });
});
