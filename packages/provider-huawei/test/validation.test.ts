import { expect } from 'chai';
import { refuseNetworkInEachTest } from '@provisio/testkit';
import { Provisioner, type RegisterRequest, type RekeyRequest } from '@provisio/core';
import huaweiPlugin from '../src/index.js';
import { failure, rig, type Rig } from './helpers.js';

const model = { manufacturerId: 'm', manufacturerName: 'M', deviceType: 'Sensor', model: 'X1', protocolType: 'CoAP' };

describe('huawei: invalid input fails with INVALID_INPUT before any request', () => {
  let r: Rig;
  before(async () => {
    r = await rig();
  });
  after(async () => r.close());
  refuseNetworkInEachTest();

  const registers: Array<[string, RegisterRequest, string, string]> = [
    ['no nodeId', {} as RegisterRequest, 'request.nodeId', 'required'],
    ['nodeId over 256 characters', { nodeId: 'x'.repeat(257) }, 'request.nodeId', 'maxLength'],
    ['psk not hex', { nodeId: 'n', psk: 'zzzzzzzzzz' }, 'request.psk', 'pattern'],
    ['psk of 7 characters', { nodeId: 'n', psk: 'abcdef1' }, 'request.psk', 'pattern'],
    ['psk of 33 characters', { nodeId: 'n', psk: 'a'.repeat(33) }, 'request.psk', 'pattern'],
    ['negative timeout', { nodeId: 'n', validitySeconds: -1 }, 'request.validitySeconds', 'minimum'],
    ['timeout over 2147483647', { nodeId: 'n', validitySeconds: 2147483648 }, 'request.validitySeconds', 'maximum'],
    ['fractional timeout', { nodeId: 'n', validitySeconds: 1.5 }, 'request.validitySeconds', 'type'],
    ['empty imsi', { nodeId: 'n', vendor: { imsi: '' } }, 'request.vendor.imsi', 'minLength'],
    ['imsi over 64 characters', { nodeId: 'n', vendor: { imsi: '1'.repeat(65) } }, 'request.vendor.imsi', 'maxLength'],
    ['half a product model', { nodeId: 'n', vendor: { deviceInfo: { model: 'X1' } } }, 'request.vendor.deviceInfo', 'dependentRequired'],
    ['productId and model fields together', { nodeId: 'n', productId: 'p', vendor: { deviceInfo: model } }, 'request.productId', 'oneOf'],
    ['unknown vendor field', { nodeId: 'n', vendor: { colour: 'red' } }, 'request.vendor.colour', 'additionalProperties'],
    ['isSecure not boolean', { nodeId: 'n', vendor: { isSecure: 'yes' } }, 'request.vendor.isSecure', 'type'],
    // Issue 13.15: control characters and lone surrogates never reach the platform.
    ['NUL in nodeId', { nodeId: 'dev\u00001' }, 'request.nodeId', 'pattern'],
    ['CR/LF in nodeId', { nodeId: 'dev1\r\nX-Injected: 1' }, 'request.nodeId', 'pattern'],
    ['a lone high surrogate in nodeId', { nodeId: 'dev\uD800' }, 'request.nodeId', 'pattern'],
    ['a lone low surrogate in nodeId', { nodeId: '\uDC00dev' }, 'request.nodeId', 'pattern'],
    ['LF in name', { nodeId: 'n', name: 'line\nbreak' }, 'request.name', 'pattern'],
    ['DEL in name', { nodeId: 'n', name: 'a\u007Fb' }, 'request.name', 'pattern'],
    ['NUL in verifyCode', { nodeId: 'n', verifyCode: 'CODE\u0000' }, 'request.verifyCode', 'pattern'],
    ['a lone surrogate in verifyCode', { nodeId: 'n', verifyCode: 'CODE\uDBFF' }, 'request.verifyCode', 'pattern'],
  ];

  for (const [name, request, field, rule] of registers) {
    it(`register: ${name}`, async () => {
      const before = { ...r.simulator.stats };
      const error = await failure(r.provider.register(request));
      expect(error).to.include({ code: 'INVALID_INPUT', field, rule, operation: 'register', provider: 'huawei' });
      expect(r.simulator.stats).to.deep.equal(before);
    });
  }

  const rekeys: Array<[string, RekeyRequest, string]> = [
    ['a PSK (OceanConnect cannot set one on rekey)', { psk: 'abcdef12' }, 'request.psk'],
    ['nodeId over 256 characters', { nodeId: 'x'.repeat(257) }, 'request.nodeId'],
    ['timeout out of range', { validitySeconds: -5 }, 'request.validitySeconds'],
    ['CR in nodeId', { nodeId: 'new\rnode' }, 'request.nodeId'],
    ['a lone surrogate in verifyCode', { verifyCode: '\uD83D' }, 'request.verifyCode'],
  ];
  for (const [name, request, field] of rekeys) {
    it(`rekey: ${name}`, async () => {
      const before = { ...r.simulator.stats };
      expect(await failure(r.provider.rekey({ deviceId: 'd1' }, request))).to.include({ code: 'INVALID_INPUT', field });
      expect(r.simulator.stats).to.deep.equal(before);
    });
  }

  it('lookup: a nodeId with a NUL or a lone surrogate', async () => {
    for (const nodeId of ['a\u0000b', 'a\uDFFFb']) {
      expect(await failure(r.provider.lookup({ nodeId }))).to.include({ code: 'INVALID_INPUT', field: 'request.nodeId' });
    }
  });

  for (const op of ['status', 'unregister'] as const) {
    it(`${op}: a device id that would escape the path`, async () => {
      expect(await failure(r.provider[op]({ deviceId: '../login' }))).to.include({ code: 'INVALID_INPUT', field: 'device.deviceId' });
      expect(await failure(r.provider[op]({ deviceId: '' }))).to.include({ code: 'INVALID_INPUT' });
    });
  }

  it('decryptCredentials: refuses a payload sealed by another cloud, returns plain ones typed', async () => {
    const sealed = { kind: 'sealed' as const, scheme: 'tencent/aes-128-cbc-zero', payload: 'AAAA', length: 3 };
    expect(await failure(r.provider.decryptCredentials(sealed))).to.include({ code: 'INVALID_INPUT' });
    const plain = { kind: 'verification-code' as const, verifyCode: 'ABC', psk: '0123456789abcdef', validitySeconds: 0 };
    expect(await r.provider.decryptCredentials(plain)).to.deep.equal(plain);
  });

  const configs: Array<[string, Record<string, unknown>, string]> = [
    ['empty appId', { baseUrl: 'https://x:8743', appId: '', secret: 's' }, 'appId'],
    ['missing secret', { baseUrl: 'https://x:8743', appId: 'a' }, 'secret'],
    ['empty secret', { baseUrl: 'https://x:8743', appId: 'a', secret: '' }, 'secret'],
    ['not a URL', { baseUrl: 'x:8743', appId: 'a', secret: 's' }, 'baseUrl'],
    ['rate limit of zero', { baseUrl: 'https://x', appId: 'a', secret: 's', rateLimit: { limit: 0, intervalMs: 1 } }, 'rateLimit'],
  ];
  for (const [name, config, field] of configs) {
    it(`config: ${name}`, async () => {
      const error = await failure(Provisioner.create({ instances: { h: { plugin: huaweiPlugin, config } } }));
      expect(error.code).to.equal('INVALID_INPUT');
      expect(error.field).to.match(new RegExp(`^instances\\.h\\.config\\.${field}`));
    });
  }
});
