// Wire-level rules the vendor notes record, checked with hand-made requests.
import { expect } from 'chai';
import http from 'node:http';
import { Provisioner, type PskCredentials } from '@provisio/core';
import tencentPlugin, { deviceSignature, legacyRegisterSignature, openPayload, tc3Authorization, TencentSimulator } from '../src/index.js';

function post(url: string, headers: Record<string, string>, body: string, path = '/'): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = http.request({ host: '127.0.0.1', port: target.port, path, method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const errorCode = (json: Record<string, unknown>) => (json.Response as { Error?: { Code: string } }).Error?.Code;

describe('tencent simulator: host and content-type rules of the Cloud API', () => {
  let simulator: TencentSimulator;
  let port = '';
  before(async () => {
    simulator = await TencentSimulator.start();
    port = new URL(simulator.url).port;
  });
  after(async () => simulator.stop());

  const describeDevice = async (hostHeader: string, signedHost: string, contentType: string) => {
    const key = simulator.keys[0]!;
    const body = JSON.stringify({ ProductId: simulator.products[0]!.productId, DeviceName: 'nobody' });
    const timestamp = Math.floor(Date.now() / 1000);
    const authorization = tc3Authorization({ secretId: key.secretId, secretKey: key.secretKey, service: 'iotexplorer', host: signedHost, method: 'POST', contentType, payload: body, timestamp });
    const headers = { Host: hostHeader, 'Content-Type': contentType, 'X-TC-Action': 'DescribeDevice', 'X-TC-Version': '2019-04-23', 'X-TC-Timestamp': String(timestamp), Authorization: authorization };
    return errorCode((await post(simulator.url, headers, body)).json);
  };

  const accepted = 'ResourceNotFound.DeviceNotExist'; // the signature passed; the device is simply not there
  const cases: Array<[string, () => string, () => string]> = [
    ['the Host header as received (name:port)', () => `127.0.0.1:${port}`, () => `127.0.0.1:${port}`],
    ['the host without its port (as the official SDK signs)', () => `127.0.0.1:${port}`, () => '127.0.0.1'],
    ['any host name', () => `iotexplorer.tencentcloudapi.com:${port}`, () => 'iotexplorer.tencentcloudapi.com'],
  ];
  for (const [name, host, signed] of cases) {
    it(`accepts a signature over ${name}`, async () => {
      expect(await describeDevice(host(), signed(), 'application/json; charset=utf-8')).to.equal(accepted);
    });
  }

  for (const contentType of ['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON']) {
    it(`signs the Content-Type as actually sent: "${contentType}"`, async () => {
      expect(await describeDevice(`127.0.0.1:${port}`, '127.0.0.1', contentType)).to.equal(accepted);
    });
  }

  it('refuses a signature over another host or another content type', async () => {
    expect(await describeDevice(`127.0.0.1:${port}`, 'evil.example.com', 'application/json')).to.equal('AuthFailure.SignatureFailure');
  });
});

describe('tencent simulator: dynamic registration as the device SDKs send it', () => {
  let simulator: TencentSimulator;
  before(async () => {
    simulator = await TencentSimulator.start();
  });
  after(async () => simulator.stop());

  for (const [label, contentType, signedHost] of [
    ['the default gateway host, lowercase charset', 'application/json; charset=utf-8', 'ap-guangzhou.gateway.tencentdevices.com'],
    ['a custom URL host, uppercase charset', 'application/json;charset=UTF-8', '127.0.0.1'],
  ] as const) {
    it(`accepts ${label}, answers HTTP 200 with Len = plaintext bytes and zero padding`, async () => {
      const product = simulator.products[0]!;
      const body = JSON.stringify({ ProductId: product.productId, DeviceName: `dev_${signedHost.length}` });
      const timestamp = Math.floor(Date.now() / 1000);
      const nonce = 12345;
      const signature = deviceSignature({ algorithm: 'hmacsha256', host: signedHost, path: '/device/register', timestamp, nonce, body, secret: product.productSecret });
      const port = new URL(simulator.url).port;
      const { status, json } = await post(
        simulator.url,
        { Host: signedHost === '127.0.0.1' ? `127.0.0.1:${port}` : signedHost, 'Content-Type': contentType, 'X-TC-Algorithm': 'hmacsha256', 'X-TC-Timestamp': String(timestamp), 'X-TC-Nonce': String(nonce), 'X-TC-Signature': signature },
        body,
        '/device/register',
      );
      expect(status).to.equal(200);
      const response = json.Response as { Len: number; Payload: string };
      const padded = Buffer.from(response.Payload, 'base64');
      expect(padded.length % 16).to.equal(0);
      const plain = openPayload(response.Payload, response.Len, product.productSecret).toString('utf8');
      expect(Buffer.byteLength(plain)).to.equal(response.Len);
      expect(JSON.parse(plain)).to.include({ encryptionType: 2 });
    });
  }

  it('errors come as HTTP 200 with Response.Error (what the Python SDK expects)', async () => {
    const { status, json } = await post(simulator.url, { 'Content-Type': 'application/json', 'X-TC-Algorithm': 'hmacsha256', 'X-TC-Timestamp': String(Math.floor(Date.now() / 1000)), 'X-TC-Nonce': '1', 'X-TC-Signature': 'bad' }, JSON.stringify({ ProductId: simulator.products[0]!.productId, DeviceName: 'x' }), '/device/register');
    expect(status).to.equal(200);
    expect(errorCode(json)).to.equal('AuthFailure.SignatureFailure');
  });
});

describe('tencent simulator: the legacy /register/dev endpoint of older device SDKs', () => {
  let simulator: TencentSimulator;
  before(async () => {
    simulator = await TencentSimulator.start();
  });
  after(async () => simulator.stop());

  it('signs as the old SDKs do: base64 of the hex HMAC-SHA1 (known answer)', () => {
    // Derived with OpenSSL (independently of this code) from the published example values:
    // printf 'deviceName=DEVICENAME1&nonce=333464802&productId=PRODUCT_ID1&timestamp=1629362589' \
    //   | openssl dgst -sha1 -hmac PRODUCT_SECRETKEY  ->  6be26dfcb89e8eb143cb152682ba183d0ff8507f
    const signature = legacyRegisterSignature(
      { deviceName: 'DEVICENAME1', nonce: 333464802, productId: 'PRODUCT_ID1', timestamp: 1629362589 },
      'PRODUCT_SECRETKEY',
    );
    expect(Buffer.from(signature, 'base64').toString('utf8')).to.equal('6be26dfcb89e8eb143cb152682ba183d0ff8507f');
    expect(signature).to.equal('NmJlMjZkZmNiODllOGViMTQzY2IxNTI2ODJiYTE4M2QwZmY4NTA3Zg==');
  });

  it('registers a device sent as form-labelled JSON, answers {code, message, len, payload}', async () => {
    const product = simulator.products[0]!;
    const fields = { deviceName: 'old_sdk_device', nonce: 4711, productId: product.productId, timestamp: Math.floor(Date.now() / 1000) };
    const body = JSON.stringify({ ...fields, signature: legacyRegisterSignature(fields, product.productSecret) });
    const { json } = await post(simulator.url, { 'Content-Type': 'application/x-www-form-urlencoded' }, body, '/register/dev');
    expect(json).to.include({ code: 0 });
    const plain = JSON.parse(openPayload(json.payload as string, json.len as number, product.productSecret).toString('utf8')) as { psk: string };
    expect(simulator.device(product.productId, 'old_sdk_device')?.psk).to.equal(plain.psk);
    const bad = await post(simulator.url, { 'Content-Type': 'application/x-www-form-urlencoded' }, JSON.stringify({ ...fields, signature: 'AAAA' }), '/register/dev');
    expect(bad.json.code).to.not.equal(0);
  });
});

describe('tencent simulator: credentials stay consistent across re-registration', () => {
  it('each registration before the first connection issues a new PSK, and DescribeDevice shows the latest', async () => {
    const simulator = await TencentSimulator.start();
    const product = simulator.products[0]!;
    const key = simulator.keys[0]!;
    const provisioner = await Provisioner.create({
      instances: {
        t: {
          plugin: tencentPlugin,
          config: { productId: product.productId, productSecret: product.productSecret, gatewayUrl: simulator.url, cloudApi: { ...key, endpoint: simulator.url } },
        },
      },
    });
    try {
      const provider = provisioner.get('t');
      const psks: string[] = [];
      for (let i = 0; i < 3; i++) {
        // register first, then rekey: before the first connection both are a dynamic registration.
        const issued = i === 0 ? await provider.register({ nodeId: 'consistent' }) : await provider.rekey({ deviceId: `${product.productId}/consistent` }, {});
        const plain = (await provider.decryptCredentials(issued.credentials)) as PskCredentials;
        psks.push(plain.psk);
        const raw = (await provider.status({ deviceId: `${product.productId}/consistent` })).raw;
        expect(raw).to.include({ Status: 3 });
        expect(simulator.device(product.productId, 'consistent')?.psk).to.equal(plain.psk);
      }
      expect(new Set(psks).size).to.equal(3);
      simulator.connectWithPsk(product.productId, 'consistent', psks[2]!);
      expect((await provider.status({ deviceId: `${product.productId}/consistent` })).activated).to.equal(true);
    } finally {
      await provisioner.close();
      await simulator.stop();
    }
  });
});
