import { expect } from 'chai';
import { refuseNetworkInEachTest } from '@provisio/testkit';
import { Provisioner, type RegisterRequest, type SealedCredentials } from '@provisio/core';
import tencentPlugin, { sealPayload } from '../src/index.js';
import { failure, rig, type Rig } from './helpers.js';

describe('tencent: invalid input fails with INVALID_INPUT before any request', () => {
  let r: Rig;
  let pid: string;
  before(async () => {
    r = await rig();
    pid = r.config.productId;
  });
  after(async () => r.close());
  refuseNetworkInEachTest();

  const untouched = async (call: () => Promise<unknown>, field: string) => {
    const before = { ...r.simulator.stats };
    const error = await failure(call());
    expect(error).to.include({ code: 'INVALID_INPUT', provider: 'tencent' });
    expect(error.field).to.equal(field);
    expect(r.simulator.stats).to.deep.equal(before);
  };

  const registers: Array<[string, RegisterRequest, string]> = [
    ['a device name with a space', { nodeId: 'bad name' }, 'request.nodeId'],
    ['a device name of 49 characters', { nodeId: 'a'.repeat(49) }, 'request.nodeId'],
    ['another product', { nodeId: 'ok', productId: 'OTHERPROD' }, 'request.productId'],
    ['a verification code', { nodeId: 'ok', verifyCode: 'abc' }, 'request.verifyCode'],
    ['a PSK with dynamic registration', { nodeId: 'ok', psk: '0123456789' }, 'request.psk'],
    ['a validity period', { nodeId: 'ok', validitySeconds: 60 }, 'request.validitySeconds'],
    ['an unknown vendor field', { nodeId: 'ok', vendor: { x: 1 } }, 'request.vendor.x'],
  ];
  for (const [name, request, field] of registers) {
    it(`register: ${name}`, () => untouched(() => r.provider.register(request), field));
  }

  it('a device id whose DeviceName has 49 characters or whose ProductId has 33', async () => {
    await untouched(() => r.provider.status({ deviceId: `${pid}/${'a'.repeat(49)}` }), 'device.deviceId');
    await untouched(() => r.provider.status({ deviceId: `${'P'.repeat(33)}/dev` }), 'device.deviceId');
  });

  it('status/unregister/rekey: a device id that is not ProductId/DeviceName, or of another product', async () => {
    await untouched(() => r.provider.status({ deviceId: 'no-slash' }), 'device.deviceId');
    await untouched(() => r.provider.unregister({ deviceId: `${pid}/bad name` }), 'device.deviceId');
    await untouched(() => r.provider.status({ deviceId: 'OTHERPROD/dev' }), 'device.deviceId');
    await untouched(() => r.provider.rekey({ deviceId: `${pid}/dev` }, { nodeId: 'renamed' }), 'request.nodeId');
    await untouched(() => r.provider.rekey({ deviceId: `${pid}/dev` }, { psk: 'short' }), 'request.psk');
  });

  it('decryptCredentials: a payload of another scheme or product', async () => {
    const sealed: SealedCredentials = { kind: 'sealed', scheme: 'other/scheme', payload: 'AAAA', length: 1 };
    await untouched(() => r.provider.decryptCredentials(sealed), 'credentials.scheme');
    await untouched(() => r.provider.decryptCredentials({ ...sealed, scheme: 'tencent/aes-128-cbc-zero', productId: 'OTHER' }), 'credentials.productId');
    await untouched(() => r.provider.decryptCredentials({ ...sealed, length: -1 }), 'credentials.length');
  });

  const configs: Array<[string, Record<string, unknown>, string]> = [
    ['neither productSecret nor cloudApi', { productId: 'P1' }, 'instances.t.config'],
    ['a productSecret shorter than 16 bytes', { productId: 'P1', productSecret: 'short' }, 'instances.t.config.productSecret'],
    ['a bad region', { productId: 'P1', productSecret: 'x'.repeat(16), region: 'Guangzhou!' }, 'instances.t.config.region'],
    // ProductId is [A-Za-z0-9]{1,32} in the vendor notes: the limit is written here, not read from the client.
    ['a ProductId of 33 characters', { productId: 'P'.repeat(33), productSecret: 'x'.repeat(16) }, 'instances.t.config.productId'],
    ['a ProductId with a dash', { productId: 'P-1', productSecret: 'x'.repeat(16) }, 'instances.t.config.productId'],
    ['cloudApi without secretKey', { productId: 'P1', cloudApi: { secretId: 'AKID' } }, 'instances.t.config.cloudApi.secretKey'],
    ['create-device mode without cloudApi', { productId: 'P1', productSecret: 'x'.repeat(16), registerMode: 'create-device' }, 'instances.t.config.registerMode'],
  ];
  for (const [name, config, field] of configs) {
    it(`config: ${name}`, async () => {
      const error = await failure(Provisioner.create({ instances: { t: { plugin: tencentPlugin, config } } }));
      expect(error).to.include({ code: 'INVALID_INPUT', field });
    });
  }
});

describe('tencent: decryption failures and secrets', () => {
  let r: Rig;
  before(async () => {
    r = await rig();
  });
  after(async () => r.close());

  const sealedFor = (plain: string, secret: string, length?: number): SealedCredentials => {
    const { payload, length: len } = sealPayload(plain, secret);
    return { kind: 'sealed', scheme: 'tencent/aes-128-cbc-zero', payload, length: length ?? len };
  };

  it('a wrong secret, a corrupted payload or an impossible Len is DECRYPTION_FAILED, without plaintext or secret', async () => {
    const secret = r.config.productSecret!;
    const plain = '{"encryptionType":2,"psk":"c2VjcmV0LXBzay12YWx1ZQ=="}';
    const good = sealedFor(plain, secret);
    const corrupted = { ...good, payload: `${good.payload.slice(0, 4)}${good.payload[4] === 'A' ? 'B' : 'A'}${good.payload.slice(5)}` };
    const cases: SealedCredentials[] = [
      sealedFor(plain, 'another-product-secret-value'),
      corrupted,
      { ...good, length: 4096 },
      { ...good, length: 10 }, // trailing bytes are not zeros: not a plaintext length
      { ...good, payload: good.payload.slice(0, -4) },
      { ...good, payload: 'not base64 !!' },
    ];
    for (const sealed of cases) {
      const error = await failure(r.provider.decryptCredentials(sealed));
      expect(error.code, JSON.stringify(sealed)).to.equal('DECRYPTION_FAILED');
      const text = `${error.message}${error.stack}${JSON.stringify(error)}`;
      expect(text).to.not.include(secret).and.not.include('c2VjcmV0LXBzay12YWx1ZQ==').and.not.include('encryptionType');
    }
    expect(await r.provider.decryptCredentials(good)).to.deep.equal({ kind: 'psk', psk: 'c2VjcmV0LXBzay12YWx1ZQ==', encoding: 'base64' });
  });

  it('no product secret, Cloud API key or issued PSK appears in an error, even when echoed', async () => {
    const registration = await r.provider.register({ nodeId: 'leaky' });
    const { psk } = (await r.provider.decryptCredentials(registration.credentials)) as { psk: string };
    const secrets = [r.config.productSecret!, r.config.cloudApi!.secretKey, psk];
    r.simulator.injectFault({ kind: 'vendor', code: 'InvalidParameter', message: `echo ${secrets.join(' ')}`, path: 'DescribeDevice' });
    const error = await failure(r.provider.status({ deviceId: registration.deviceId }));
    const text = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
    for (const secret of secrets) expect(text).to.not.include(secret);
  });
});
