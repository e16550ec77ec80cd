import { expect } from 'chai';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { HttpClient, ProvisioningError, createTestPki, type TestPki, type TlsOptions } from '../src/index.js';

describe('core: mutual TLS against a local HTTPS server', function () {
  this.timeout(60_000);
  let pki: TestPki;
  let server: https.Server;
  let port: number;

  before(async () => {
    pki = await createTestPki({ dns: ['localhost'] }); // deliberately no IP SAN: 127.0.0.1 must fail hostname checks
    server = https.createServer(
      { key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ client: peer.subject?.CN }));
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const call = async (host: string, tls: TlsOptions) => {
    const client = new HttpClient({ provider: 'tls', baseURL: `https://${host}:${port}`, tls, interpret: () => undefined, retry: { maxAttempts: 1 } });
    try {
      return (await client.send({ operation: 'status', method: 'GET', path: '/' })).data;
    } finally {
      client.close();
    }
  };
  const failure = async (host: string, tls: TlsOptions) => {
    try {
      await call(host, tls);
    } catch (error) {
      return error as ProvisioningError;
    }
    throw new Error('expected the handshake to fail');
  };

  it('completes the handshake with a PEM client certificate and the CA', async () => {
    expect(await call('localhost', { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey })).to.deep.equal({ client: 'provisio test client' });
  });

  it('completes the handshake with a PKCS#12 bundle and its passphrase', async () => {
    expect(await call('localhost', { ca: pki.caCert, pfx: pki.clientPfx, passphrase: pki.pfxPassphrase })).to.deep.equal({
      client: 'provisio test client',
    });
  });

  it('verifies the host name by default, and only skips it when configured', async () => {
    const error = await failure('127.0.0.1', { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey });
    expect(error.code).to.equal('AUTHENTICATION_FAILED');
    expect(error.message).to.match(/TLS/);
    expect(await call('127.0.0.1', { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey, verifyHostname: false })).to.have.property('client');
  });

  it('refuses a server whose CA it does not trust', async () => {
    const error = await failure('localhost', { cert: pki.clientCert, key: pki.clientKey });
    expect(error.code).to.equal('AUTHENTICATION_FAILED');
  });

  it('is refused by the server without a client certificate', async () => {
    const error = await failure('localhost', { ca: pki.caCert });
    expect(['UNAVAILABLE', 'AUTHENTICATION_FAILED']).to.include(error.code);
  });

  it('rejects a wrong PKCS#12 passphrase at construction, as INVALID_INPUT, without revealing it', async () => {
    const error = await failure('localhost', { ca: pki.caCert, pfx: pki.clientPfx, passphrase: 'wrong-passphrase-value' });
    expect(error.code).to.equal('INVALID_INPUT');
    expect(error.field).to.equal('tls');
    expect(JSON.stringify(error) + error.message + error.stack).to.not.include('wrong-passphrase-value');
  });
});
