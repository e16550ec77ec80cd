import { expect } from 'chai';
import { HUAWEI_ERRORS } from '../src/index.js';
import { failure, rig, type Rig } from './helpers.js';

/** HTTP status each code comes with in seeds 000-003 and the vendor notes. */
const STATUS: Record<string, number> = {
  '103028': 200, '100003': 400, '100007': 400, '100416': 400, '100426': 400, '50400': 400, '100025': 401,
  '100203': 403, '100217': 403, '1010009': 403, '1010005': 403, '600002': 403, '100001': 500, '100412': 500,
  '100441': 500, '103026': 500, '50252': 500, '100403': 404, '100418': 404, '100610': 400, '100611': 400,
  '100449': 400, '102202': 400, '100208': 401, '100247': 400,
};

describe('huawei: every vendor error code maps to a core code, vendor code kept', () => {
  let r: Rig;
  beforeEach(async () => {
    r = await rig({}, { retry: { maxAttempts: 1 } });
    await r.provider.register({ nodeId: 'warm-up' }); // log in first, so faults hit the call under test
  });
  afterEach(async () => r.close());

  it('covers every code of the seeds and notes', () => {
    expect(Object.keys(HUAWEI_ERRORS)).to.have.members(Object.keys(STATUS));
  });

  for (const [vendorCode, mapping] of Object.entries(HUAWEI_ERRORS)) {
    if (vendorCode === '1010005') continue; // re-authentication: its own test below
    it(`${vendorCode} (HTTP ${STATUS[vendorCode]}) -> ${mapping.code}`, async () => {
      r.simulator.injectFault({ kind: 'vendor', code: vendorCode, status: STATUS[vendorCode], times: 3 });
      const error = await failure(r.provider.register({ nodeId: `n-${vendorCode}` }));
      expect(error).to.include({ code: mapping.code, vendorCode, httpStatus: STATUS[vendorCode], provider: 'huawei', operation: 'register' });
      expect(error.retryable).to.equal(mapping.code === 'RATE_LIMITED' || mapping.code === 'UNAVAILABLE');
    });
  }

  it('reads both body shapes: gateway resultcode/resultmsg and business error_code/error_desc', async () => {
    r.simulator.injectFault({ kind: 'vendor', code: '1010009', status: 403 });
    const gateway = await failure(r.provider.register({ nodeId: 'g' }));
    expect(gateway.vendorMessage).to.equal('injected 1010009');
    r.simulator.injectFault({ kind: 'vendor', code: '100426', status: 400, message: 'The nodeId is duplicated.' });
    const business = await failure(r.provider.register({ nodeId: 'b' }));
    expect(business.vendorMessage).to.equal('The nodeId is duplicated.');
  });

  it('an unknown vendor code still yields a typed error with the vendor code (by HTTP status)', async () => {
    r.simulator.injectFault({ kind: 'vendor', code: '999999', status: 404 });
    expect(await failure(r.provider.register({ nodeId: 'u' }))).to.include({ code: 'NOT_FOUND', vendorCode: '999999' });
  });

  it('reaches the natural errors through real simulator behaviour', async () => {
    expect(await failure(r.provider.register({ nodeId: 'warm-up' }))).to.include({ code: 'ALREADY_EXISTS', vendorCode: '100426' });
    expect(await failure(r.provider.status({ deviceId: 'no-such-device' }))).to.include({ code: 'NOT_FOUND', vendorCode: '100403' });
    expect(await failure(r.provider.rekey({ deviceId: 'no-such-device' }, { nodeId: 'x' }))).to.include({ code: 'NOT_FOUND' });
  });

  it('maps a 5xx without a body, a dropped connection, a timeout and a malformed body', async () => {
    r.simulator.injectFault({ kind: 'status', status: 503 });
    expect(await failure(r.provider.register({ nodeId: 'a' }))).to.include({ code: 'UNAVAILABLE', httpStatus: 503, retryable: true });
    r.simulator.injectFault({ kind: 'drop' });
    expect(await failure(r.provider.register({ nodeId: 'b' }))).to.include({ code: 'UNAVAILABLE' });
    r.simulator.injectFault({ kind: 'malformed' });
    expect(await failure(r.provider.register({ nodeId: 'c' }))).to.include({ code: 'INTERNAL', retryable: false });
    await r.close();
    r = await rig({}, { retry: { maxAttempts: 1 }, timeoutMs: 100 });
    await r.provider.register({ nodeId: 'warm' });
    r.simulator.injectFault({ kind: 'latency', ms: 400 });
    expect(await failure(r.provider.register({ nodeId: 'd' }))).to.include({ code: 'TIMEOUT', retryable: true });
  });

  it('answers with quota and product errors the simulator produces on its own', async () => {
    await r.close();
    r = await rig({ products: ['known-product'], maxDevices: 1 }, { retry: { maxAttempts: 1 } });
    expect(await failure(r.provider.register({ nodeId: 'p', productId: 'unknown-product' }))).to.include({ code: 'NOT_FOUND', vendorCode: '600002' });
    await r.provider.register({ nodeId: 'first', productId: 'known-product' });
    expect(await failure(r.provider.register({ nodeId: 'second' }))).to.include({ code: 'QUOTA_EXCEEDED', vendorCode: '100412' });
  });

  it('a wrong app secret is AUTHENTICATION_FAILED 100208 and the secret never appears', async () => {
    await r.close();
    r = await rig({}, { secret: 'definitely-the-wrong-secret' });
    const error = await failure(r.provider.register({ nodeId: 'x' }));
    expect(error).to.include({ code: 'AUTHENTICATION_FAILED', vendorCode: '100208', httpStatus: 401 });
    expect(JSON.stringify(error) + error.message + error.stack).to.not.include('definitely-the-wrong-secret');
  });
});

describe('huawei: secrets never leak into errors', () => {
  it('redacts the app secret, tokens and issued PSKs even when the platform echoes them', async () => {
    const r = await rig({}, { retry: { maxAttempts: 1 } });
    try {
      const registration = await r.provider.register({ nodeId: 'leaky', psk: 'A1B2C3D4E5F60718' });
      const psk = (registration.credentials as { psk: string }).psk;
      const token = await r.provider.tokens.get();
      r.simulator.injectFault({
        kind: 'vendor', code: '50400', status: 400,
        message: `bad: secret=${r.config.secret} token ${token} psk ${psk} Authorization: Bearer ${token}`,
      });
      const error = await failure(r.provider.register({ nodeId: 'other' }));
      const everything = `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${String(error.vendorMessage)}`;
      for (const secret of [r.config.secret, token, psk]) expect(everything).to.not.include(secret);
    } finally {
      await r.close();
    }
  });
});
