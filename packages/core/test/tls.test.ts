import { expect } from 'chai';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { HttpClient, ProvisioningError, type TlsOptions } from '../src/index.js';
import { createTestPki, type TestPki } from '../src/simulator/index.js';

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
    expect(error.code).to.equal('AUTHENTICATION_FAILED');
  });

  it('rejects a wrong PKCS#12 passphrase at construction, as INVALID_INPUT, without revealing it', async () => {
    const error = await failure('localhost', { ca: pki.caCert, pfx: pki.clientPfx, passphrase: 'wrong-passphrase-value' });
    expect(error.code).to.equal('INVALID_INPUT');
    expect(error.field).to.equal('tls');
    expect(JSON.stringify(error) + error.message + error.stack).to.not.include('wrong-passphrase-value');
  });
});

describe('core: TLS trust failures are typed configuration errors, never retried', function () {
  this.timeout(60_000);
  let pki: TestPki;
  let stranger: TestPki;
  const servers: https.Server[] = [];

  before(async () => {
    pki = await createTestPki({ dns: ['localhost'] });
    stranger = await createTestPki({ dns: ['localhost'] }); // another CA: its client certificate is unknown to the server
  });
  after(async () => {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  });

  /** An HTTPS server that counts the TCP connections it accepts: one per attempt (keep-alive). */
  const serve = async (options: https.ServerOptions): Promise<{ url: string; handshakes: () => number }> => {
    let handshakes = 0;
    const server = https.createServer(options, (_req, res) => res.end('{}'));
    server.on('connection', () => handshakes++);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `https://localhost:${(server.address() as AddressInfo).port}`, handshakes: () => handshakes };
  };
  const attempt = async (url: string, tls: TlsOptions): Promise<ProvisioningError> => {
    const client = new HttpClient({ provider: 'tls', baseURL: url, tls, interpret: () => undefined, retry: { maxAttempts: 3, baseDelayMs: 1 } });
    try {
      await client.send({ operation: 'status', method: 'GET', path: '/' });
    } catch (error) {
      return error as ProvisioningError;
    } finally {
      client.close();
    }
    throw new Error('expected the handshake to fail');
  };

  it('an unknown CA (leaf-only server chain): AUTHENTICATION_FAILED with UNABLE_TO_VERIFY_LEAF_SIGNATURE, one attempt', async () => {
    const server = await serve({ key: pki.serverKey, cert: pki.serverCert });
    const error = await attempt(server.url, {});
    expect(error).to.include({ code: 'AUTHENTICATION_FAILED', retryable: false, vendorCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(error.details).to.deep.equal({ tls: { reason: 'server-certificate-untrusted', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' } });
    expect(error.message).to.include('tls.ca');
    expect(error.$metadata.attempts).to.equal(1);
    expect(server.handshakes()).to.equal(1);
  });

  it('a host name the certificate does not cover: ERR_TLS_CERT_ALTNAME_INVALID, one attempt', async () => {
    const server = await serve({ key: pki.serverKey, cert: pki.serverCert });
    const error = await attempt(server.url.replace('localhost', '127.0.0.1'), { ca: pki.caCert });
    expect(error).to.include({ code: 'AUTHENTICATION_FAILED', retryable: false, vendorCode: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(error.details).to.deep.equal({ tls: { reason: 'server-hostname-mismatch', code: 'ERR_TLS_CERT_ALTNAME_INVALID' } });
    expect(error.$metadata.attempts).to.equal(1);
  });

  const mutual = (maxVersion: 'TLSv1.2' | 'TLSv1.3') =>
    serve({ key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: true, maxVersion });

  it('no client certificate where the server requires one (TLS 1.3 alert): client-certificate-rejected, one attempt', async () => {
    const server = await mutual('TLSv1.3');
    const error = await attempt(server.url, { ca: pki.caCert });
    expect(error).to.include({ code: 'AUTHENTICATION_FAILED', retryable: false, vendorCode: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
    expect(error.details).to.deep.equal({ tls: { reason: 'client-certificate-rejected', code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' } });
    expect(error.message).to.include('tls.cert');
    expect(error.$metadata.attempts).to.equal(1);
    expect(server.handshakes()).to.equal(1);
  });

  it('no client certificate (TLS 1.2 handshake_failure alert, EPROTO): typed with the reason, one attempt', async () => {
    const server = await mutual('TLSv1.2');
    const error = await attempt(server.url, { ca: pki.caCert });
    expect(error).to.include({ code: 'AUTHENTICATION_FAILED', retryable: false, vendorCode: 'EPROTO' });
    expect(error.message).to.include('alert handshake failure');
    expect(error.$metadata.attempts).to.equal(1);
    expect(server.handshakes()).to.equal(1);
  });

  it('a client certificate from a CA the server does not trust (TLS 1.2, closed mid-handshake): client-certificate-rejected, one attempt', async () => {
    // A Node server closes the handshake without an alert; a request never went out.
    const server = await mutual('TLSv1.2');
    const error = await attempt(server.url, { ca: pki.caCert, cert: stranger.clientCert, key: stranger.clientKey });
    expect(error).to.include({ code: 'AUTHENTICATION_FAILED', retryable: false, vendorCode: 'ECONNRESET' });
    expect(error.details).to.deep.equal({ tls: { reason: 'client-certificate-rejected', code: 'ECONNRESET' } });
    expect(error.$metadata.attempts).to.equal(1);
    expect(server.handshakes()).to.equal(1);
  });
  // Not covered: under TLS 1.3 the client's handshake is done before the server checks its
  // certificate, so a server that then closes without an alert looks like any dropped connection.
});
