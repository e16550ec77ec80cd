// What the vendor's northbound Java SDK sends and expects (vendor notes), replayed byte for byte
// over the simulator's TLS mode with the PKI it generates.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Provisioner, type RunningSimulator } from '@provisio/core';
import huaweiPlugin, { huaweiSimulatorHook } from '../src/index.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('huawei simulator: TLS mode and the vendor SDK wire format', function () {
  this.timeout(30_000);
  let dir: string;
  let sim: RunningSimulator;
  let agent: https.Agent;

  const request = (method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const url = new URL(sim.url);
      const req = https.request(
        { host: '127.0.0.1', port: url.port, path, method, agent, headers: { ...headers, ...(body ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) } },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'huawei-tls-'));
    // No flow control: these tests check TLS and what the vendor SDK sends, not throttling.
    sim = await huaweiSimulatorHook.start({ tls: { dir, requireClientCert: true }, rateLimit: false }); // why: TLS, not throttling
    const files = sim.files as Record<string, string>;
    // A client holding the PKCS#12 bundle and the CA, hostname verification on (Node's default).
    agent = new https.Agent({
      ca: readFileSync(files.ca as string),
      pfx: readFileSync(files.clientPkcs12 as string),
      passphrase: readFileSync(files.pkcs12Passphrase as string, 'utf8').trim(),
    });
  });
  after(async () => sim.stop());

  it('creates the CA, server and client certificates as PEM and PKCS#12 files, and loads them next time', async () => {
    for (const name of ['ca.pem', 'server-cert.pem', 'server-key.pem', 'client-cert.pem', 'client-key.pem', 'client.p12', 'client.p12.passphrase']) {
      expect(existsSync(join(dir, name)), name).to.equal(true);
    }
    const before = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const again = await huaweiSimulatorHook.start({ tls: { dir } });
    expect(readFileSync(join(dir, 'ca.pem'), 'utf8')).to.equal(before);
    await again.stop();
  });

  it('the provider works over TLS with the generated PKCS#12 client certificate and CA, hostname verification on', async () => {
    const config = sim.instanceConfig() as { tls: Record<string, unknown> };
    expect(config.tls).to.have.keys(['caFile', 'pfxFile', 'passphrase']);
    expect(config.tls.verifyHostname).to.equal(undefined);
    const provisioner = await Provisioner.create({ instances: { h: { plugin: huaweiPlugin, config } } });
    const provider = provisioner.get('h');
    const registration = await provider.register({ nodeId: 'tls-node' });
    expect((await provider.status({ deviceId: registration.deviceId })).activated).to.equal(false);
    await provider.unregister({ deviceId: registration.deviceId });
    await provisioner.close();
  });

  it('requires a client certificate when mutual TLS is on, and not when it is optional', async () => {
    const config = sim.instanceConfig() as { tls: Record<string, unknown> };
    const noCert = await Provisioner.create({ instances: { h: { plugin: huaweiPlugin, config: { ...config, tls: { caFile: config.tls.caFile }, retry: { maxAttempts: 1 } } } } });
    let refused = false;
    await noCert.get('h').register({ nodeId: 'no-cert' }).catch(() => (refused = true));
    expect(refused).to.equal(true);
    await noCert.close();
    // No flow control here either: only the client certificate requirement differs.
    const optional = await huaweiSimulatorHook.start({ tls: { dir, requireClientCert: false }, rateLimit: false }); // why: as above
    const optionalConfig = optional.instanceConfig() as { tls: Record<string, unknown> };
    const loose = await Provisioner.create({ instances: { h: { plugin: huaweiPlugin, config: { ...optionalConfig, tls: { caFile: optionalConfig.tls.caFile } } } } });
    expect((await loose.get('h').register({ nodeId: 'optional-cert' })).deviceId).to.be.a('string');
    await loose.close();
    await optional.stop();
  });

  let token = '';
  const app = () => sim.instanceConfig() as { appId: string; secret: string };

  for (const contentType of ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8']) {
    it(`login accepts a form body "${contentType}"`, async () => {
      const { appId, secret } = app();
      const res = await request('POST', '/iocm/app/sec/v1.1.0/login', { 'Content-Type': contentType }, new URLSearchParams({ appId, secret }).toString());
      expect(res.status).to.equal(200);
      token = (JSON.parse(res.body) as { accessToken: string }).accessToken;
    });
  }

  it('registration accepts only {verifyCode, nodeId, timeout} with "application/json; charset=UTF-8", as the SDK sends it', async () => {
    const res = await request(
      'POST',
      `/iocm/app/reg/v1.1.0/deviceCredentials?appId=${app().appId}`,
      { 'Content-Type': 'application/json; charset=UTF-8', app_key: app().appId, Authorization: `Bearer ${token}` },
      JSON.stringify({ verifyCode: 'SDK-NODE-1', nodeId: 'SDK-NODE-1', timeout: 0 }),
    );
    expect(res.status).to.equal(200);
    expect(JSON.parse(res.body)).to.include({ verifyCode: 'SDK-NODE-1', timeout: 0 });
  });

  it('GET and DELETE carry no Content-Type; delete answers 204 with no body at all', async () => {
    const list = await request('GET', `/iocm/app/dm/v1.4.0/devices?appId=${app().appId}&pageNo=0&pageSize=10`, { app_key: app().appId, Authorization: `Bearer ${token}` });
    const device = (JSON.parse(list.body) as { devices: Array<{ deviceId: string; deviceInfo: { nodeId: string } }> }).devices.find((d) => d.deviceInfo.nodeId === 'SDK-NODE-1');
    const res = await request('DELETE', `/iocm/app/dm/v1.4.0/devices/${device?.deviceId}?appId=${app().appId}&cascade=true`, { app_key: app().appId, Authorization: `Bearer ${token}` });
    expect(res.status).to.equal(204);
    expect(res.body).to.equal('');
    expect(res.headers['content-type']).to.equal(undefined);
    expect(res.headers['content-length'] ?? '0').to.equal('0');
  });

  it('every error answer carries Content-Type: application/json and the text error_code or resultcode', async () => {
    const headers = { app_key: app().appId, Authorization: `Bearer ${token}` };
    const answers = [
      await request('GET', '/iocm/app/reg/v1.1.0/deviceCredentials/nope', headers),
      await request('GET', '/iocm/app/reg/v1.1.0/deviceCredentials/nope', { app_key: app().appId, Authorization: 'Bearer stale' }),
      await request('POST', '/iocm/app/sec/v1.1.0/login', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'appId=x&secret=y'),
      await request('POST', `/iocm/app/reg/v1.1.0/deviceCredentials`, { ...headers, 'Content-Type': 'application/json; charset=UTF-8' }, '{not json'),
    ];
    for (const res of answers) {
      expect(res.status).to.be.at.least(400);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.body).to.match(/"(error_code|resultcode)"/);
    }
  });
});
