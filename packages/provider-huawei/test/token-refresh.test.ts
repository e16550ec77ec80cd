import { expect } from 'chai';
import { TokenManager } from '@provisio/core';
import { HuaweiTokenSource } from '../src/index.js';
import { failure, rig, type Rig } from './helpers.js';

/**
 * When a refresh fails, only a refused refresh token is worth a new login: on OceanConnect a login
 * invalidates the token every other holder of the app is using. One clock drives the simulator and
 * the token manager, so no test sleeps to reach the refresh window.
 */
describe('huawei: refresh failures and the fallback to login', function () {
  this.timeout(30_000);
  let r: Rig;
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  let manager: TokenManager;

  beforeEach(async () => {
    offsetMs = 0;
    r = await rig({ now, tokenTtlSeconds: 3600 });
    manager = new TokenManager(new HuaweiTokenSource(r.provider.http, r.config), { refreshAheadMs: 300_000, now });
    await manager.get();
    offsetMs = 3_500_000; // 100 s left: inside the refresh window, the token still valid at the platform
  });
  afterEach(async () => r.close());

  it('a refresh answered with 5xx is retried and reported, never turned into a login', async () => {
    r.simulator.injectFault({ kind: 'vendor', code: '50252', status: 500, path: '/refreshToken', times: 10 });
    const token = await manager.get();
    expect(r.simulator.stats).to.include({ logins: 1, refreshes: 0 });
    expect(manager.stats).to.include({ logins: 1, refreshFailures: 1 });
    // The still-valid token keeps working at the platform.
    r.simulator.clearFaults();
    const registered = await r.provider.http.send({
      operation: 'register',
      method: 'POST',
      path: '/iocm/app/reg/v1.1.0/deviceCredentials',
      query: { appId: r.config.appId },
      json: { nodeId: 'still-valid' },
      headers: { app_key: r.config.appId, Authorization: `Bearer ${token}` },
      authenticate: false,
    });
    expect(registered.status).to.equal(200);
    // Expired and still failing: the caller gets the refresh's own error.
    r.simulator.injectFault({ kind: 'vendor', code: '50252', status: 500, path: '/refreshToken', times: 10 });
    offsetMs = 3_700_000;
    const error = await failure(manager.get());
    expect(error).to.include({ code: 'UNAVAILABLE', vendorCode: '50252', operation: 'refreshToken' });
    expect(r.simulator.stats.logins).to.equal(1);
  });

  it('a refused refresh token (401 100208) falls back to one login', async () => {
    r.simulator.revokeRefreshTokens();
    await manager.get();
    expect(r.simulator.stats).to.include({ logins: 2, refreshes: 0 });
    expect(manager.stats).to.include({ logins: 2, refreshFailures: 1 });
  });
});
