import { expect } from 'chai';
import { Provisioner, TokenManager } from '@provisio/core';
import huaweiPlugin, { HuaweiTokenSource, type HuaweiProvider } from '../src/index.js';
import { failure, rig, type Rig } from './helpers.js';

describe('huawei: tokens', function () {
  this.timeout(30_000);
  let r: Rig;
  afterEach(async () => r?.close());

  it('logs in with a form body and sends app_key + Bearer on every call', async () => {
    r = await rig();
    await r.provider.register({ nodeId: 'a' });
    await r.provider.register({ nodeId: 'b' });
    expect(r.simulator.stats.logins).to.equal(1);
  });

  // One injectable clock drives the simulator and the token manager: the refresh window is
  // reached by moving the clock, not by sleeping (issue 13.16).
  const clocked = async () => {
    let offsetMs = 0;
    const now = () => Date.now() + offsetMs;
    r = await rig({ now, tokenTtlSeconds: 3600 });
    const manager = new TokenManager(new HuaweiTokenSource(r.provider.http, r.config), { refreshAheadMs: 300_000, now });
    await manager.get();
    return { manager, advance: (ms: number) => (offsetMs += ms) };
  };

  it('refreshes ahead of expiry with the refresh token (JSON), not a new login', async () => {
    const { manager, advance } = await clocked();
    advance(3_400_000); // 200 s left of 3,600: inside the 300 s refresh window
    await manager.get();
    expect(r.simulator.stats).to.include({ logins: 1, refreshes: 1 });
    expect(manager.stats).to.include({ logins: 1, refreshes: 1, refreshFailures: 0 });
  });

  it('does not refresh before the window', async () => {
    const { manager, advance } = await clocked();
    advance(3_200_000); // 400 s left: outside the 300 s window
    await manager.get();
    expect(r.simulator.stats).to.include({ logins: 1, refreshes: 0 });
  });

  it('falls back to login when the refresh answers 100208', async () => {
    const { manager, advance } = await clocked();
    r.simulator.revokeRefreshTokens();
    advance(3_400_000);
    await manager.get();
    expect(r.simulator.stats).to.include({ logins: 2, refreshes: 0 });
    expect(manager.stats.refreshFailures).to.equal(1);
  });

  it('on 1010005 re-authenticates once and retries; a second 1010005 fails', async () => {
    r = await rig();
    await r.provider.register({ nodeId: 'a' });
    r.simulator.expireTokens();
    await r.provider.register({ nodeId: 'b' });
    expect(r.simulator.stats.logins).to.equal(2);

    r.simulator.injectFault({ kind: 'vendor', code: '1010005', status: 403, times: 2, path: '/deviceCredentials' });
    const error = await failure(r.provider.register({ nodeId: 'c' }));
    expect(error).to.include({ code: 'AUTHENTICATION_FAILED', vendorCode: '1010005' });
    expect(r.simulator.stats.logins).to.equal(3);
  });

  it('only the latest token is valid: two instances of one app recover from each other', async () => {
    r = await rig();
    const second = await Provisioner.create({ instances: { again: { plugin: huaweiPlugin, config: r.config } } });
    const other = second.get('again') as HuaweiProvider;
    await r.provider.register({ nodeId: 'a' });
    await other.register({ nodeId: 'b' }); // this login invalidates the first instance's token
    await r.provider.register({ nodeId: 'c' }); // 1010005 -> one login -> retried
    expect(r.simulator.stats.logins).to.equal(3);
    await second.close();
  });

  it('two instances of one app in one Provisioner share one login and one budget (in-process coordination)', async () => {
    r = await rig({ flowControl: { limit: 10, intervalMs: 1000 } });
    const config = { ...r.config, rateLimit: { limit: 10, intervalMs: 1000 } };
    const both = await Provisioner.create({ instances: { one: { plugin: huaweiPlugin, config }, two: { plugin: huaweiPlugin, config } } });
    const [one, two] = [both.get('one'), both.get('two')];
    // Each alone would keep to 10/s; together, without a shared budget, they would send 20/s and be throttled.
    await Promise.all(Array.from({ length: 14 }, (_, i) => (i % 2 ? one : two).register({ nodeId: `pair-${i}` })));
    expect(r.simulator.stats).to.include({ logins: 1, throttled: 0 });
    await both.close();
  });

  it('1,000 concurrent calls on a cold instance cause exactly one login', async () => {
    r = await rig();
    await Promise.all(Array.from({ length: 1000 }, (_, i) => r.provider.register({ nodeId: `cold-${i}` })));
    expect(r.simulator.stats.logins).to.equal(1);
    expect(r.simulator.listDevices()).to.have.length(1000);
  });
});

describe('huawei: flow control', function () {
  this.timeout(60_000);
  let r: Rig;
  afterEach(async () => r?.close());

  it('200 concurrent registrations: one login, not one throttle, with client and server at 20/s', async () => {
    const rate = { limit: 20, intervalMs: 1000 };
    r = await rig({ flowControl: rate }, { rateLimit: rate });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => r.provider.register({ nodeId: `burst-${i}` })));
    expect(new Set(results.map((x) => x.deviceId)).size).to.equal(200);
    expect(r.simulator.stats).to.include({ logins: 1, throttled: 0 });
    // 201 calls (login included) at 20 per second need at least 10 seconds.
    expect(Date.now() - started).to.be.at.least(10_000);
  });

  it('defaults the client limiter to 100 calls per minute', async () => {
    r = await rig({}, { rateLimit: undefined });
    expect(r.provider.http.limiter).to.include({ limit: 100, intervalMs: 60_000 });
  });

  it('backs off and retries when the platform throttles (1010009)', async () => {
    r = await rig({}, { retry: { maxAttempts: 3, baseDelayMs: 5 } });
    await r.provider.register({ nodeId: 'warm' });
    r.simulator.injectFault({ kind: 'vendor', code: '1010009', status: 403, times: 2 });
    expect((await r.provider.register({ nodeId: 'after-throttle' })).nodeId).to.equal('after-throttle');
  });
});
