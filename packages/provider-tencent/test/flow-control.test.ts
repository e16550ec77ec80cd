import { expect } from 'chai';
import { failure, rig, type Rig } from './helpers.js';

/**
 * The simulator's Cloud API flow control (as `provisio simulate --rate-limit` asks for it) and the
 * client limiter against it: over the limit the cloud answers RequestLimitExceeded; a client
 * whose limit equals the cloud's is never throttled. Scaled down: 5 calls per 500 ms.
 */
describe('tencent: Cloud API flow control', function () {
  this.timeout(20_000);
  const flow = { limit: 5, intervalMs: 500 };
  let r: Rig;
  afterEach(async () => r?.close());

  it('over the limit the simulator answers RequestLimitExceeded: RATE_LIMITED, retryable (client limit off on purpose, to reach it)', async () => {
    r = await rig({ flowControl: flow }, { retry: { maxAttempts: 1 } });
    const ref = { deviceId: `${r.config.productId}/nobody` };
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => failure(r.provider.status(ref))));
    const throttled = outcomes.filter((e) => e.code === 'RATE_LIMITED');
    expect(throttled).to.have.length(3);
    expect(throttled[0]).to.include({ vendorCode: 'RequestLimitExceeded', retryable: true });
    expect(outcomes.filter((e) => e.code === 'NOT_FOUND')).to.have.length(5);
    expect(r.simulator.stats.throttled).to.equal(3);
  });

  it('a client limit equal to the cloud\'s: 12 calls, none throttled', async () => {
    r = await rig({ flowControl: flow }, { rateLimit: flow, retry: { maxAttempts: 1 } });
    const ref = { deviceId: `${r.config.productId}/nobody` };
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => failure(r.provider.status(ref))));
    expect(outcomes.map((e) => e.code)).to.deep.equal(Array(12).fill('NOT_FOUND'));
    expect(r.simulator.stats.throttled).to.equal(0);
  });
});
