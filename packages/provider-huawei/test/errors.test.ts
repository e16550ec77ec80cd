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

  /**
   * The core code each vendor code must become, stated here from the seeds' own words (seed,
   * HTTP status, error description), not read from HUAWEI_ERRORS: a wrong row in the table
   * under test then fails this test (issue 13.16). Retryable: only throttling and the
   * platform's own internal errors.
   */
  const EXPECTED: Array<[string, string, boolean, string]> = [
    ['103028', 'QUOTA_EXCEEDED', false, 'seed 000: "The license pool resources" are used up'],
    ['100003', 'INVALID_INPUT', false, 'seed 000/002: "Invalid verify code."'],
    ['100007', 'INVALID_INPUT', false, 'seed 000/002: "Bad request message." (invalid parameters)'],
    ['100416', 'ALREADY_EXISTS', false, 'seed 000: "The device has already been bounded."'],
    ['100426', 'ALREADY_EXISTS', false, 'seed 000/002: "The nodeId is duplicated."'],
    ['50400', 'INVALID_INPUT', false, 'seed 000/002: "The input is invalid."'],
    ['100025', 'AUTHENTICATION_FAILED', false, 'seed 000/002: 401 "AppId for auth not exist."'],
    ['100203', 'ACCESS_DENIED', false, 'seeds 000-002: "The application is not existed." (403)'],
    ['100217', 'ACCESS_DENIED', false, 'seeds 000-002: "The application has not been authorized."'],
    ['1010009', 'RATE_LIMITED', true, 'seeds 000-002: "app throttle exceed." (100 calls/min)'],
    ['1010005', 'AUTHENTICATION_FAILED', false, 'seeds 000-002: "App_key or access_token is invalid."'],
    ['600002', 'NOT_FOUND', false, 'seed 000: "The product not existed."'],
    ['100001', 'UNAVAILABLE', true, 'seed 000: 500 "Internal server error."'],
    ['100412', 'QUOTA_EXCEEDED', false, 'seed 000: "The amount of device has reached the limit."'],
    ['100441', 'QUOTA_EXCEEDED', false, 'seed 000: "The amount of nonSecure device has reached the limit."'],
    ['103026', 'INTERNAL', false, 'seed 000: "The license is not exist." (platform-side, not the caller\'s to fix)'],
    ['50252', 'UNAVAILABLE', true, 'seeds 000-003: 500 "Internal server error."'],
    ['100403', 'NOT_FOUND', false, 'seeds 001/002 and notes: "The device is not existed."'],
    ['100418', 'NOT_FOUND', false, 'seed 002 and notes: "The deviceData is not existed."'],
    ['100610', 'DEVICE_NOT_ACTIVE', false, 'seed 002: "Device is not active."'],
    ['100611', 'DEVICE_ONLINE', false, 'seed 002: "Device is online." (the key is refreshed only offline)'],
    ['100449', 'ACCESS_DENIED', false, 'seed 003: "The user does not have the operation permission."'],
    ['102202', 'INVALID_INPUT', false, 'seed 003: "Required Parameter is null or empty."'],
    ['100208', 'AUTHENTICATION_FAILED', false, 'seed 003: 401 "AppId or secret is not right."'],
    ['100247', 'ACCESS_DENIED', false, 'notes: the app is frozen'],
  ];

  it('the table under test names exactly the codes of the seeds and notes', () => {
    expect(Object.keys(HUAWEI_ERRORS)).to.have.members(Object.keys(STATUS));
    expect(EXPECTED.map(([code]) => code)).to.have.members(Object.keys(STATUS));
  });

  for (const [vendorCode, code, retryable, why] of EXPECTED) {
    if (vendorCode === '1010005') continue; // re-authentication: its own test below
    it(`${vendorCode} (HTTP ${STATUS[vendorCode]}) -> ${code}: ${why}`, async () => {
      r.simulator.injectFault({ kind: 'vendor', code: vendorCode, status: STATUS[vendorCode], times: 3 });
      const error = await failure(r.provider.register({ nodeId: `n-${vendorCode}` }));
      expect(error).to.include({ code, vendorCode, httpStatus: STATUS[vendorCode], provider: 'huawei', operation: 'register' });
      expect(error.retryable).to.equal(retryable);
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
