import { expect } from 'chai';
import { TENCENT_ERRORS } from '../src/index.js';
import { failure, rig, type Rig } from './helpers.js';

describe('tencent: vendor errors map to core codes, vendor code kept', function () {
  this.timeout(20_000);
  let r: Rig;
  beforeEach(async () => {
    r = await rig({}, { retry: { maxAttempts: 1 } });
  });
  afterEach(async () => r.close());

  /**
   * The core code each vendor code must become, stated here from VENDOR-NOTES and Tencent's
   * common error codes, not read from TENCENT_ERRORS: a wrong row in the table under test then
   * fails this test (issue 13.16). Retryable: only throttling and the cloud's internal errors.
   */
  const EXPECTED: Array<[string, string, boolean, string]> = [
    ['AuthFailure.SignatureExpire', 'AUTHENTICATION_FAILED', false, 'notes: clock more than 5 min off'],
    ['AuthFailure.SignatureFailure', 'AUTHENTICATION_FAILED', false, 'notes: a signature made with a wrong key'],
    ['AuthFailure.SecretIdNotFound', 'AUTHENTICATION_FAILED', false, 'common errors: the SecretId does not exist'],
    ['AuthFailure.InvalidSecretId', 'AUTHENTICATION_FAILED', false, 'common errors: not a valid SecretId'],
    ['AuthFailure.UnauthorizedOperation', 'ACCESS_DENIED', false, 'common errors: the key lacks the permission (CAM)'],
    ['InvalidParameterValue.DeviceAlreadyExist', 'ALREADY_EXISTS', false, 'notes: duplicate device on CreateDevice'],
    ['UnsupportedOperation.DeviceDupKeyExist', 'ALREADY_EXISTS', false, 'notes: both mean "already exists"'],
    ['UnauthorizedOperation.DeviceIsActivated', 'ALREADY_EXISTS', false, 'notes: registering again after the first connection is refused'],
    ['ResourceNotFound.DeviceNotExist', 'NOT_FOUND', false, 'notes'],
    ['ResourceNotFound.ProductNotExist', 'NOT_FOUND', false, 'the product does not exist'],
    ['LimitExceeded.DeviceExceedLimit', 'QUOTA_EXCEEDED', false, 'notes: the product\'s device count limit'],
    ['RequestLimitExceeded', 'RATE_LIMITED', true, 'notes: request frequency over the limit'],
    ['UnauthorizedOperation.ProductNotSupportPSK', 'UNSUPPORTED', false, 'notes: the product does not use PSK authentication'],
    ['InvalidParameter', 'INVALID_INPUT', false, 'notes: bad names come as InvalidParameter'],
    ['InvalidParameterValue', 'INVALID_INPUT', false, 'notes: or InvalidParameterValue.*'],
    ['InvalidAction', 'UNSUPPORTED', false, 'common errors: the API does not exist'],
    ['InternalError', 'UNAVAILABLE', true, 'common errors: internal error on the cloud side'],
    ['FailedOperation', 'INTERNAL', false, 'common errors: the operation failed (no retry helps)'],
  ];

  it('the table under test names exactly the codes stated here', () => {
    expect(Object.keys(TENCENT_ERRORS)).to.have.members(EXPECTED.map(([code]) => code));
  });

  for (const [vendorCode, code, retryable, why] of EXPECTED) {
    if (vendorCode === 'AuthFailure.SignatureExpire') continue; // clock correction: its own tests
    it(`${vendorCode} -> ${code} (Cloud API and gateway): ${why}`, async () => {
      r.simulator.injectFault({ kind: 'vendor', code: vendorCode, path: 'DescribeDevice' });
      const cloud = await failure(r.provider.status({ deviceId: `${r.config.productId}/dev` }));
      expect(cloud).to.include({ code, vendorCode, provider: 'tencent', operation: 'status', httpStatus: 200, retryable });
      expect(cloud.requestId).to.be.a('string');
      r.simulator.injectFault({ kind: 'vendor', code: vendorCode, path: '/device/register' });
      expect(await failure(r.provider.register({ nodeId: 'dev' }))).to.include({ code, vendorCode, retryable });
    });
  }

  it('an unknown sub-code maps by its family, and an unknown family still keeps the vendor code', async () => {
    r.simulator.injectFault({ kind: 'vendor', code: 'ResourceNotFound.SomethingNew', path: 'DescribeDevice' });
    expect(await failure(r.provider.status({ deviceId: `${r.config.productId}/d` }))).to.include({ code: 'NOT_FOUND' });
    r.simulator.injectFault({ kind: 'vendor', code: 'Brand.NewFamily', path: 'DescribeDevice' });
    expect(await failure(r.provider.status({ deviceId: `${r.config.productId}/d` }))).to.include({ code: 'INTERNAL', vendorCode: 'Brand.NewFamily' });
  });

  it('reaches real errors: missing device, duplicate, product not found, device limit', async () => {
    expect(await failure(r.provider.status({ deviceId: `${r.config.productId}/ghost` }))).to.include({ vendorCode: 'ResourceNotFound.DeviceNotExist' });
    expect(await failure(r.provider.unregister({ deviceId: `${r.config.productId}/ghost` }))).to.include({ code: 'NOT_FOUND' });
    const wrongProduct = await r.with({ productId: 'NOSUCHPROD' });
    expect(await failure(wrongProduct.register({ nodeId: 'x' }))).to.include({ code: 'NOT_FOUND', vendorCode: 'ResourceNotFound.ProductNotExist' });
    await r.close();
    r = await rig({ maxDevices: 1 }, { retry: { maxAttempts: 1 } });
    await r.provider.register({ nodeId: 'one' });
    expect(await failure(r.provider.register({ nodeId: 'two' }))).to.include({ code: 'QUOTA_EXCEEDED', vendorCode: 'LimitExceeded.DeviceExceedLimit' });
  });

  it('rejects a signature made with the wrong secret, on both faces', async () => {
    const wrongDevice = await r.with({ productSecret: 'not-the-product-secret' });
    expect(await failure(wrongDevice.register({ nodeId: 'x' }))).to.include({ code: 'AUTHENTICATION_FAILED', vendorCode: 'AuthFailure.SignatureFailure' });
    const wrongKey = await r.with({ cloudApi: { ...r.config.cloudApi!, secretKey: 'not-the-secret-key' } });
    expect(await failure(wrongKey.status({ deviceId: `${r.config.productId}/x` }))).to.include({
      code: 'AUTHENTICATION_FAILED', vendorCode: 'AuthFailure.SignatureFailure',
    });
    const unknownId = await r.with({ cloudApi: { ...r.config.cloudApi!, secretId: 'AKIDunknown' } });
    expect(await failure(unknownId.status({ deviceId: `${r.config.productId}/x` }))).to.include({ vendorCode: 'AuthFailure.SecretIdNotFound' });
    expect(r.simulator.stats.signatureFailures).to.equal(2);
  });

  it('maps 5xx, dropped connections, timeouts and malformed bodies', async () => {
    r.simulator.injectFault({ kind: 'status', status: 502, path: 'DescribeDevice' });
    expect(await failure(r.provider.status({ deviceId: `${r.config.productId}/x` }))).to.include({ code: 'UNAVAILABLE', retryable: true, httpStatus: 502 });
    r.simulator.injectFault({ kind: 'drop', path: 'DescribeDevice' });
    expect(await failure(r.provider.status({ deviceId: `${r.config.productId}/x` }))).to.include({ code: 'UNAVAILABLE' });
    r.simulator.injectFault({ kind: 'malformed', path: '/device/register' });
    expect(await failure(r.provider.register({ nodeId: 'x' }))).to.include({ code: 'INTERNAL', retryable: false });
    const quick = await r.with({ timeoutMs: 100 });
    r.simulator.injectFault({ kind: 'latency', ms: 400, path: 'DescribeDevice' });
    expect(await failure(quick.status({ deviceId: `${r.config.productId}/x` }))).to.include({ code: 'TIMEOUT', retryable: true });
  });

  it('a bare HTTP status without a Cloud API envelope (a proxy in between) maps by the family every provider shares', async () => {
    // Before the kit, Tencent read a bare 403 as AUTHENTICATION_FAILED and a 404 as INTERNAL, unlike Huawei.
    const expected: Array<[number, string]> = [[403, 'ACCESS_DENIED'], [404, 'NOT_FOUND'], [504, 'TIMEOUT'], [401, 'AUTHENTICATION_FAILED']];
    for (const [status, code] of expected) {
      r.simulator.injectFault({ kind: 'status', status, path: 'DescribeDevice' });
      expect(await failure(r.provider.status({ deviceId: `${r.config.productId}/x` })), String(status)).to.include({ code, httpStatus: status, vendorCode: undefined });
    }
  });
});

describe('tencent: clock skew', () => {
  let r: Rig;
  afterEach(async () => r.close());

  for (const skew of [600, -600]) {
    it(`corrects a clock ${skew > 0 ? 'behind' : 'ahead of'} the server by ${Math.abs(skew)} s from the answer and retries once (both faces)`, async () => {
      r = await rig({ clockSkewSeconds: skew });
      const registration = await r.provider.register({ nodeId: 'skewed' });
      expect(Math.abs(r.provider.clock.offsetSeconds - skew)).to.be.at.most(2);
      expect(registration.credentials.kind).to.equal('sealed');
      const fresh = await r.with({});
      expect((await fresh.status({ deviceId: registration.deviceId })).activated).to.equal(false);
      expect(Math.abs(fresh.clock.offsetSeconds - skew)).to.be.at.most(2);
    });
  }

  it('fails with AuthFailure.SignatureExpire when the server keeps refusing', async () => {
    r = await rig({}, { retry: { maxAttempts: 1 } });
    r.simulator.injectFault({ kind: 'vendor', code: 'AuthFailure.SignatureExpire', times: 2, path: 'DescribeDevice' });
    expect(await failure(r.provider.status({ deviceId: `${r.config.productId}/x` }))).to.include({
      code: 'AUTHENTICATION_FAILED', vendorCode: 'AuthFailure.SignatureExpire',
    });
  });
});

describe('tencent: rekey that fails part-way says where the device stands', () => {
  it('delete succeeded, create failed: the error names the state and the next step', async () => {
    const r = await rig({}, { rekey: { recreateActivatedDevices: true }, retry: { maxAttempts: 1 } });
    try {
      const registration = await r.provider.register({ nodeId: 'half' });
      const plain = await r.provider.decryptCredentials(registration.credentials);
      r.simulator.connectWithPsk(r.config.productId, 'half', (plain as { psk: string }).psk);
      r.simulator.disconnect(r.config.productId, 'half');
      r.simulator.injectFault({ kind: 'vendor', code: 'InternalError', path: 'CreateDevice' });
      const error = await failure(r.provider.rekey({ deviceId: registration.deviceId }, {}));
      expect(error.details).to.deep.include({ deviceState: 'deleted', failedStep: 'CreateDevice' });
      expect(error.message).to.include('was deleted').and.include('call register');
      expect(error).to.include({ vendorCode: 'InternalError', operation: 'rekey' });
      expect(r.simulator.device(r.config.productId, 'half')).to.equal(undefined);
    } finally {
      await r.close();
    }
  });
});
