import { expect } from 'chai';
import { Provisioner, type PskCredentials } from '@provisio/core';
import tencentPlugin, { type TencentProvider } from '../src/index.js';
import { failure, rig, type Rig } from './helpers.js';

/**
 * Faults between the client and the simulator must never make one call's side effect happen
 * twice, or undo it: the simulator counts what it received and what it did.
 */
describe('tencent: no side effect done twice or undone', function () {
  this.timeout(30_000);
  let r: Rig;
  const extra: Provisioner[] = [];
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((p) => p.close()));
    await r?.close();
  });

  /** The device gateway only (no Cloud API keys), with retries that would re-send if allowed. */
  const gatewayOnly = async (more: Record<string, unknown> = {}): Promise<TencentProvider> => {
    const { cloudApi: _keys, ...config } = r.config;
    const p = await Provisioner.create({ instances: { gw: { plugin: tencentPlugin, config: { ...config, retry: { maxAttempts: 4, baseDelayMs: 5 }, ...more } } } });
    extra.push(p);
    return p.get('gw') as TencentProvider;
  };

  it('dynamic registration answered 503 is sent once, not re-sent (maxAttempts 4)', async () => {
    r = await rig();
    const provider = await gatewayOnly();
    r.simulator.injectFault({ kind: 'status', status: 503, path: '/device/register', times: 10 });
    const before = r.simulator.requestCount;
    expect(await failure(provider.register({ nodeId: 'once-503' }))).to.include({ code: 'UNAVAILABLE' });
    expect(r.simulator.requestCount - before).to.equal(1);
  });

  it('dynamic registration that times out is sent once; the registration it made is the only one', async () => {
    r = await rig();
    const provider = await gatewayOnly({ timeoutMs: 200 });
    r.simulator.injectFault({ kind: 'latency', ms: 500, path: '/device/register' });
    const before = r.simulator.requestCount;
    expect(await failure(provider.register({ nodeId: 'once-slow' }))).to.include({ code: 'TIMEOUT' });
    await new Promise((resolve) => setTimeout(resolve, 600)); // let the slow request land
    expect(r.simulator.requestCount - before).to.equal(1);
    expect(r.simulator.device(r.config.productId, 'once-slow')).to.include({ registrations: 1 });
  });

  it('a throttle answer (the server did not act) is retried even for a registration', async () => {
    r = await rig();
    const provider = await gatewayOnly();
    r.simulator.injectFault({ kind: 'vendor', code: 'RequestLimitExceeded', path: '/device/register' });
    await provider.register({ nodeId: 'after-throttle' });
    expect(r.simulator.device(r.config.productId, 'after-throttle')).to.include({ registrations: 1 });
  });

  it('rekey by re-creation with a slow DeleteDevice: the re-created device survives the delayed delete', async () => {
    r = await rig({}, { timeoutMs: 300, retry: { maxAttempts: 3, baseDelayMs: 5 }, rekey: { recreateActivatedDevices: true } });
    const { provider, simulator, config } = r;
    const registration = await provider.register({ nodeId: 'slow-delete' });
    const old = (await provider.decryptCredentials(registration.credentials)) as PskCredentials;
    simulator.connectWithPsk(config.productId, 'slow-delete', old.psk);
    simulator.disconnect(config.productId, 'slow-delete');
    // The delete reaches the platform only after the client has given up on its answer.
    simulator.injectFault({ kind: 'latency', ms: 500, path: 'DeleteDevice' });
    const rekeyed = await provider.rekey({ deviceId: registration.deviceId }, {});
    const fresh = rekeyed.credentials as PskCredentials;
    await new Promise((resolve) => setTimeout(resolve, 800)); // past any delayed delete
    expect(simulator.device(config.productId, 'slow-delete'), 'the re-created device').to.include({ psk: fresh.psk });
    simulator.connectWithPsk(config.productId, 'slow-delete', fresh.psk);
  });

  it('rekey by re-creation whose delete fails uncertainly stops before creating, saying the state is unknown', async () => {
    r = await rig({}, { timeoutMs: 200, retry: { maxAttempts: 3, baseDelayMs: 5 }, rekey: { recreateActivatedDevices: true } });
    const { provider, simulator, config } = r;
    const registration = await provider.register({ nodeId: 'kept' });
    const old = (await provider.decryptCredentials(registration.credentials)) as PskCredentials;
    simulator.connectWithPsk(config.productId, 'kept', old.psk);
    simulator.disconnect(config.productId, 'kept');
    simulator.injectFault({ kind: 'status', status: 503, path: 'DeleteDevice', times: 10 });
    const error = await failure(provider.rekey({ deviceId: registration.deviceId }, {}));
    expect(error).to.include({ code: 'UNAVAILABLE', operation: 'rekey' });
    expect(error.details).to.include({ deviceState: 'unknown', failedStep: 'DeleteDevice' });
    // Nothing was re-created and the old credentials still work.
    expect(simulator.device(config.productId, 'kept')).to.include({ psk: old.psk });
  });

  it('unregister whose answer was lost: the repeat finds nothing, and that is success', async () => {
    r = await rig({}, { retry: { maxAttempts: 3, baseDelayMs: 5 } });
    const registration = await r.provider.register({ nodeId: 'lost-answer' });
    r.simulator.injectFault({ kind: 'lost-answer', path: 'DeleteDevice' });
    await r.provider.unregister({ deviceId: registration.deviceId });
    expect(r.simulator.device(r.config.productId, 'lost-answer')).to.equal(undefined);
    // A device that was never there is still NOT_FOUND.
    expect(await failure(r.provider.unregister({ deviceId: registration.deviceId }))).to.include({ code: 'NOT_FOUND' });
  });

  it('register answered after the device was created, answer lost: not re-sent; the next register is ALREADY_EXISTS', async () => {
    r = await rig({}, { retry: { maxAttempts: 4, baseDelayMs: 5 } });
    r.simulator.injectFault({ kind: 'lost-answer', path: '/device/register' });
    expect(await failure(r.provider.register({ nodeId: 'lost' }))).to.include({ code: 'UNAVAILABLE' });
    expect(r.simulator.device(r.config.productId, 'lost')).to.include({ registrations: 1 });
    expect(await failure(r.provider.register({ nodeId: 'lost' }))).to.include({ code: 'ALREADY_EXISTS' });
    expect(r.simulator.device(r.config.productId, 'lost')).to.include({ registrations: 1 });
  });
});
