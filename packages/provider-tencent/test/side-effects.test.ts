import { expect } from 'chai';
import { failure, rig, type Rig } from './helpers.js';

/** Requests that change state on the cloud are never repeated in a way that duplicates or undoes them. */
describe('tencent: no side effect done twice or undone', function () {
  this.timeout(60_000);
  let r: Rig;
  afterEach(async () => r?.close());

  it('dynamic registration answered 503 is not re-sent (a second one would issue a new secret)', async () => {
    // Retries allowed (4 attempts): only the non-idempotence of the request stops them.
    r = await rig({}, { retry: { maxAttempts: 4, baseDelayMs: 5 } });
    const before = r.simulator.requestCount;
    r.simulator.injectFault({ kind: 'status', status: 503, path: '/device/register', times: 4 });
    const error = await failure(r.provider.register({ nodeId: 'once_only' }), 'UNAVAILABLE');
    expect(error.retryable).to.equal(true);
    expect(r.simulator.requestCount - before, 'registration requests that reached the gateway').to.equal(1);
  });

  it('dynamic registration whose answer is lost is not re-sent', async () => {
    r = await rig({}, { retry: { maxAttempts: 4, baseDelayMs: 5 } });
    const before = r.simulator.requestCount;
    r.simulator.injectFault({ kind: 'lost-answer', path: '/device/register' });
    await failure(r.provider.register({ nodeId: 'lost_once' }), 'UNAVAILABLE');
    expect(r.simulator.requestCount - before).to.equal(1);
  });

  it('unregister whose DeleteDevice answer is lost still succeeds (the device is gone), with one DeleteDevice', async () => {
    r = await rig({}, { retry: { maxAttempts: 4, baseDelayMs: 5 } });
    const registration = await r.provider.register({ nodeId: 'delete_me' });
    r.simulator.injectFault({ kind: 'lost-answer', path: 'DeleteDevice' });
    await r.provider.unregister({ deviceId: registration.deviceId });
    await failure(r.provider.status({ deviceId: registration.deviceId }), 'NOT_FOUND');
  });

  it('rekey by re-creation waits for a slow delete: the re-created device still exists afterwards', async () => {
    r = await rig({}, { retry: { maxAttempts: 4, baseDelayMs: 5 }, timeoutMs: 300, rekey: { recreateActivatedDevices: true } });
    const registration = await r.provider.register({ nodeId: 'slow_delete' });
    const psk = (await r.provider.decryptCredentials(registration.credentials)) as { psk: string };
    r.simulator.connectWithPsk(r.config.productId, 'slow_delete', psk.psk);
    r.simulator.disconnect(r.config.productId, 'slow_delete');
    // The delete is carried out 800 ms late, long after the client's 300 ms timeout.
    r.simulator.injectFault({ kind: 'latency', ms: 800, path: 'DeleteDevice' });
    const rekeyed = await r.provider.rekey({ deviceId: registration.deviceId }, {});
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const status = await r.provider.status({ deviceId: rekeyed.deviceId });
    expect(status.deviceId).to.equal(registration.deviceId);
  });
});
