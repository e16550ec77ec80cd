import { expect } from 'chai';
import { failure, rig, type Rig } from './helpers.js';

/** Faults must never make one call's side effect happen twice, or turn its success into a failure. */
describe('huawei: no side effect done twice or undone', function () {
  this.timeout(30_000);
  let r: Rig;
  afterEach(async () => r?.close());

  it('unregister whose answer was lost: the repeated DELETE finds nothing, and that is success', async () => {
    r = await rig({}, { retry: { maxAttempts: 3, baseDelayMs: 5 } });
    const registration = await r.provider.register({ nodeId: 'lost-delete' });
    r.simulator.injectFault({ kind: 'lost-answer', path: '/dm/v1.4.0/devices/' });
    await r.provider.unregister({ deviceId: registration.deviceId });
    expect(r.simulator.listDevices().map((d) => d.nodeId)).to.not.include('lost-delete');
    // Without a lost answer first, NOT_FOUND is what it says.
    expect(await failure(r.provider.unregister({ deviceId: registration.deviceId }))).to.include({ code: 'NOT_FOUND' });
  });

  it('a registration whose answer was lost is not re-sent; registering again is ALREADY_EXISTS', async () => {
    r = await rig({}, { retry: { maxAttempts: 4, baseDelayMs: 5 } });
    await r.provider.register({ nodeId: 'warm-up' }); // the login is not the call under test
    r.simulator.injectFault({ kind: 'lost-answer', path: '/deviceCredentials' });
    const before = r.simulator.requestCount;
    expect(await failure(r.provider.register({ nodeId: 'lost-register' }))).to.include({ code: 'UNAVAILABLE' });
    expect(r.simulator.requestCount - before).to.equal(1);
    expect(await failure(r.provider.register({ nodeId: 'lost-register' }))).to.include({ code: 'ALREADY_EXISTS' });
  });
});
