import { expect } from 'chai';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { inspect } from 'node:util';
import { Provisioner, type Registration } from '@provisio/core';
import awsPlugin, { REGISTRATION_ATTRIBUTE } from '../src/index.js';
import { deviceCsr, failure, rig, type Rig } from './helpers.js';

describe('aws provider against the simulator', () => {
  let r: Rig;
  let n = 0;
  const node = () => `aws-test-${process.pid}-${++n}`;

  // One simulator for the file (it enforces AWS's published per-API limits); each test uses its own things.
  before(async () => {
    r = await rig();
  });
  after(async () => r.close());
  beforeEach(() => {
    r.simulator.calls.length = 0;
  });
  afterEach(() => {
    r.simulator.clearFaults();
    r.simulator.setClockSkew(0);
  });

  describe('register', () => {
    it('keys mode: thing + certificate (with AWS\'s private key) + principal + policy, in that order', async () => {
      const nodeId = node();
      const reg = await r.provider.register({ nodeId });
      expect(reg.deviceId).to.equal(nodeId);
      expect(r.simulator.calls.map((c) => c.api)).to.deep.equal(['CreateThing', 'CreateKeysAndCertificate', 'AttachThingPrincipal', 'AttachPolicy']);
      if (reg.credentials.kind !== 'x509') throw new Error('x509 expected');
      // PEM line ends are \n whatever the issuer wrote (the simulator's, like some CAs, writes \r\n).
      expect(reg.credentials.certificate + reg.credentials.privateKey).to.not.include('\r');
      const cert = new X509Certificate(reg.credentials.certificate);
      expect(cert.checkPrivateKey(createPrivateKey(reg.credentials.privateKey as string))).to.equal(true);
      const thing = r.simulator.thing(nodeId);
      const id = reg.raw?.certificateId as string;
      expect([...(thing?.principals ?? [])]).to.deep.equal([reg.raw?.certificateArn]);
      expect(r.simulator.certificate(id)?.status).to.equal('ACTIVE');
      expect([...(r.simulator.certificate(id)?.policies ?? [])]).to.deep.equal([r.config.policyName]);
      expect(thing?.attributes).to.have.property(REGISTRATION_ATTRIBUTE);
    });

    it('CSR mode per request: the credentials carry the certificate only; the device\'s own key connects', async () => {
      const nodeId = node();
      const { csr, privateKey } = await deviceCsr(nodeId);
      const reg = await r.provider.register({ nodeId, vendor: { csr } });
      expect(r.simulator.calls.map((c) => c.api)).to.include('CreateCertificateFromCsr').and.not.include('CreateKeysAndCertificate');
      expect(reg.credentials).to.have.keys(['kind', 'certificate']);
      if (reg.credentials.kind !== 'x509') throw new Error('x509 expected');
      expect(new X509Certificate(reg.credentials.certificate).checkPrivateKey(createPrivateKey(privateKey))).to.equal(true);
      // A certificate without its key is valid x509 credentials for the contract too.
      expect(await r.provider.decryptCredentials(reg.credentials)).to.deep.equal(reg.credentials);
      r.simulator.connect(nodeId, reg.credentials.certificate, privateKey);
      expect((await r.provider.status({ deviceId: nodeId })).connectivity).to.equal('online');
    });

    it('CSR mode by config: a rekey with the device\'s new CSR replaces the certificate', async () => {
      const csrOnly = await r.with({ credentialMode: 'csr' });
      const nodeId = node();
      await csrOnly.register({ nodeId, vendor: { csr: (await deviceCsr(nodeId)).csr } });
      const next = await deviceCsr(nodeId);
      const rekeyed = await csrOnly.rekey({ deviceId: nodeId }, { vendor: { csr: next.csr } });
      const certificate = (rekeyed.credentials as { certificate: string }).certificate;
      r.simulator.connect(nodeId, certificate, next.privateKey);
      expect(r.simulator.thing(nodeId)?.principals.size).to.equal(1);
    });

    it('CSR mode by config without a CSR: INVALID_INPUT naming vendor.csr, nothing sent', async () => {
      const csrOnly = await r.with({ credentialMode: 'csr' });
      const before = r.simulator.requestCount;
      const error = await failure(csrOnly.register({ nodeId: node() }), 'INVALID_INPUT');
      expect(error.field).to.equal('request.vendor.csr');
      expect(r.simulator.requestCount).to.equal(before);
    });

    it('bad input is refused before any request: a PSK, a product id, a thing name AWS forbids, a CSR that is not PEM', async () => {
      const before = r.simulator.requestCount;
      expect((await failure(r.provider.register({ nodeId: node(), psk: 'abcdefgh' }), 'INVALID_INPUT')).field).to.equal('request.psk');
      expect((await failure(r.provider.register({ nodeId: node(), productId: 'p' }), 'INVALID_INPUT')).field).to.equal('request.productId');
      await failure(r.provider.register({ nodeId: 'has space' }), 'INVALID_INPUT');
      await failure(r.provider.register({ nodeId: 'x'.repeat(129) }), 'INVALID_INPUT');
      await failure(r.provider.register({ nodeId: node(), vendor: { csr: 'not a csr' } }), 'INVALID_INPUT');
      const notDer = '-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgcmVxdWVzdA==\n-----END CERTIFICATE REQUEST-----';
      expect((await failure(r.provider.register({ nodeId: node(), vendor: { csr: notDer } }), 'INVALID_INPUT')).field).to.equal('request.vendor.csr');
      expect(r.simulator.requestCount).to.equal(before);
    });

    it('a failure at AttachPolicy undoes the certificate and the thing, and says so', async () => {
      const nodeId = node();
      await r.simulator.injectFault({ kind: 'vendor', code: 'LimitExceededException', status: 410, path: 'AttachPolicy' });
      const certificates = r.simulator.listCertificates().length;
      const error = await failure(r.provider.register({ nodeId }), 'QUOTA_EXCEEDED');
      expect(error.vendorCode).to.equal('LimitExceededException');
      expect(error.details).to.deep.include({ failedStep: 'AttachPolicy', leftOnAws: [] });
      expect(error.message).to.match(/Nothing it created is left on AWS/);
      expect(error.recovered).to.equal(undefined);
      expect(r.simulator.thing(nodeId)).to.equal(undefined);
      expect(r.simulator.listCertificates()).to.have.length(certificates);
    });

    it('when the undo fails too: says what is left, and carries the issued credentials without leaking the key', async () => {
      const nodeId = node();
      await r.simulator.injectFault({ kind: 'vendor', code: 'ServiceUnavailableException', status: 503, path: 'AttachPolicy', times: 3 });
      await r.simulator.injectFault({ kind: 'vendor', code: 'ServiceUnavailableException', status: 503, path: 'DetachThingPrincipal', times: 3 });
      const error = await failure(r.provider.register({ nodeId }), 'UNAVAILABLE');
      const recovered = error.recovered as Registration;
      expect(recovered.deviceId).to.equal(nodeId);
      expect(recovered.credentials.kind).to.equal('x509');
      const key = (recovered.credentials as { privateKey: string }).privateKey;
      expect(error.details?.leftOnAws).to.have.length(2);
      expect(error.message).to.match(/Still on AWS: certificate [0-9a-f]{64} .*, thing /);
      expect(error.retryable, 'something is left: not a plain retry').to.equal(false);
      for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 8 }), error.stack ?? '']) expect(text).to.not.include(key.slice(40, 100));
      expect(r.simulator.thing(nodeId)?.principals.size).to.equal(1);
    });

    it('an existing thing: ALREADY_EXISTS and no certificate issued for it', async () => {
      const nodeId = node();
      await r.provider.register({ nodeId });
      const certificates = r.simulator.listCertificates().length;
      const error = await failure(r.provider.register({ nodeId }), 'ALREADY_EXISTS');
      expect(error.vendorCode).to.equal('ResourceAlreadyExistsException');
      expect(r.simulator.listCertificates()).to.have.length(certificates);
    });

    it('a CreateThing whose answer was lost is resent and accepted (same attributes): one thing, one certificate', async () => {
      const nodeId = node();
      const certificates = r.simulator.listCertificates().length;
      await r.simulator.injectFault({ kind: 'lost-answer', path: 'CreateThing' });
      const reg = await r.provider.register({ nodeId });
      expect(reg.deviceId).to.equal(nodeId);
      expect(r.simulator.calls.filter((c) => c.api === 'CreateThing')).to.have.length(2);
      expect(r.simulator.listCertificates()).to.have.length(certificates + 1);
    });
  });

  describe('status', () => {
    it('activated = AWS has recorded a connection; online while connected', async () => {
      const nodeId = node();
      const reg = await r.provider.register({ nodeId });
      expect(await r.provider.status({ deviceId: nodeId })).to.deep.include({ activated: false, connectivity: 'offline' });
      const creds = reg.credentials as { certificate: string; privateKey: string };
      r.simulator.connect(nodeId, creds.certificate, creds.privateKey);
      expect(await r.provider.status({ deviceId: nodeId })).to.deep.include({ activated: true, connectivity: 'online' });
      r.simulator.disconnect(nodeId);
      const status = await r.provider.status({ deviceId: nodeId });
      expect(status).to.deep.include({ activated: true, connectivity: 'offline' });
      expect((status.raw.connectivity as { disconnectReason: string }).disconnectReason).to.equal('CLIENT_INITIATED_DISCONNECT');
    });
  });

  describe('rekey', () => {
    it('the new certificate is attached (thing and policy) before the old one is deactivated, detached and deleted', async () => {
      const nodeId = node();
      const first = await r.provider.register({ nodeId });
      const oldId = first.raw?.certificateId as string;
      r.simulator.calls.length = 0;
      const second = await r.provider.rekey({ deviceId: nodeId }, {});
      const newId = second.raw?.certificateId as string;
      expect(r.simulator.calls.map((c) => c.api)).to.deep.equal([
        'ListThingPrincipals',
        'CreateKeysAndCertificate',
        'AttachThingPrincipal',
        'AttachPolicy',
        'UpdateCertificate',
        'DetachThingPrincipal',
        'DeleteCertificate',
      ]);
      expect(r.simulator.calls.slice(4).every((c) => c.target.includes(oldId)), 'the last three touch the old certificate').to.equal(true);
      expect(r.simulator.certificate(oldId)).to.equal(undefined);
      expect([...(r.simulator.thing(nodeId)?.principals ?? [])]).to.deep.equal([second.raw?.certificateArn]);
      expect(r.simulator.certificate(newId)?.status).to.equal('ACTIVE');
      const oldCreds = first.credentials as { certificate: string };
      expect(() => r.simulator.connect(nodeId, oldCreds.certificate)).to.throw(/unknown certificate/);
    });

    it('while the device is online: allowed (the device switches when it likes; the old certificate dies only after)', async () => {
      const nodeId = node();
      const reg = await r.provider.register({ nodeId });
      const creds = reg.credentials as { certificate: string; privateKey: string };
      r.simulator.connect(nodeId, creds.certificate, creds.privateKey);
      const rekeyed = await r.provider.rekey({ deviceId: nodeId }, {});
      const fresh = rekeyed.credentials as { certificate: string; privateKey: string };
      r.simulator.connect(nodeId, fresh.certificate, fresh.privateKey);
    });

    it('retiring the old certificate fails: the new credentials are carried, the old certificate named', async () => {
      const nodeId = node();
      const first = await r.provider.register({ nodeId });
      await r.simulator.injectFault({ kind: 'vendor', code: 'InternalFailureException', status: 500, path: 'DeleteCertificate', times: 3 });
      const error = await failure(r.provider.rekey({ deviceId: nodeId }, {}));
      const recovered = error.recovered as Registration;
      const newId = recovered.raw?.certificateId as string;
      expect(error.details).to.deep.include({ newCertificateId: newId, oldCertificateLeft: first.raw?.certificateId });
      expect(r.simulator.certificate(newId)?.status).to.equal('ACTIVE');
      expect(r.simulator.certificate(first.raw?.certificateId as string)?.status, 'old one deactivated first').to.equal('INACTIVE');
      const fresh = recovered.credentials as { certificate: string; privateKey: string };
      r.simulator.connect(nodeId, fresh.certificate, fresh.privateKey);
    });

    it('a failure before the new certificate is in place leaves the old one untouched', async () => {
      const nodeId = node();
      const first = await r.provider.register({ nodeId });
      const certificates = r.simulator.listCertificates().length;
      await r.simulator.injectFault({ kind: 'vendor', code: 'UnauthorizedException', status: 401, path: 'AttachThingPrincipal' });
      await failure(r.provider.rekey({ deviceId: nodeId }, {}), 'ACCESS_DENIED');
      const old = first.credentials as { certificate: string; privateKey: string };
      expect(r.simulator.listCertificates(), 'the new certificate deleted again').to.have.length(certificates);
      expect([...(r.simulator.thing(nodeId)?.principals ?? [])]).to.deep.equal([first.raw?.certificateArn]);
      r.simulator.connect(nodeId, old.certificate, old.privateKey);
    });

    it('refuses a new node id (a thing cannot be renamed)', async () => {
      const nodeId = node();
      await r.provider.register({ nodeId });
      expect((await failure(r.provider.rekey({ deviceId: nodeId }, { nodeId: 'other' }), 'INVALID_INPUT')).field).to.equal('request.nodeId');
    });
  });

  describe('unregister', () => {
    it('detaches and deletes every certificate, then the thing; a second time: NOT_FOUND', async () => {
      const nodeId = node();
      const reg = await r.provider.register({ nodeId });
      r.simulator.calls.length = 0;
      await r.provider.unregister({ deviceId: nodeId });
      expect(r.simulator.calls.map((c) => c.api)).to.deep.equal(['ListThingPrincipals', 'UpdateCertificate', 'DetachThingPrincipal', 'DeleteCertificate', 'DeleteThing']);
      expect(r.simulator.thing(nodeId)).to.equal(undefined);
      expect(r.simulator.certificate(reg.raw?.certificateId as string)).to.equal(undefined);
      await failure(r.provider.unregister({ deviceId: nodeId }), 'NOT_FOUND');
    });
  });

  describe('unregister that fails part-way', () => {
    it('a refused DeleteCertificate leaves the certificate attached (INACTIVE), not an orphan: unregister again removes it', async () => {
      const nodeId = node();
      const reg = await r.provider.register({ nodeId });
      const certificateId = reg.raw?.certificateId as string;
      r.simulator.injectFault({ kind: 'vendor', code: 'UnauthorizedException', status: 403, path: 'DeleteCertificate' });
      const error = await failure(r.provider.unregister({ deviceId: nodeId }), 'ACCESS_DENIED');
      expect(error.message).to.include(certificateId).and.include('INACTIVE');
      expect(r.simulator.certificate(certificateId)?.status).to.equal('INACTIVE');
      // Still reachable through the thing, so the retry below can see and delete it.
      expect([...(r.simulator.thing(nodeId)?.principals ?? [])]).to.deep.equal([reg.raw?.certificateArn]);
      await r.provider.unregister({ deviceId: nodeId });
      expect(r.simulator.thing(nodeId)).to.equal(undefined);
      expect(r.simulator.certificate(certificateId)).to.equal(undefined);
    });
  });

  describe('an asynchronous detach (AWS: "it might take several seconds ... to propagate")', () => {
    let slow: Rig;
    before(async () => {
      slow = await rig({ detachPropagationMs: 400 });
    });
    after(async () => slow.close());

    it('rekey and unregister wait for the detach instead of failing on DeleteConflict / "still attached"', async () => {
      const nodeId = node();
      await slow.provider.register({ nodeId });
      const rekeyed = await slow.provider.rekey({ deviceId: nodeId }, {});
      expect([...(slow.simulator.thing(nodeId)?.principals ?? [])]).to.deep.equal([rekeyed.raw?.certificateArn]);
      await slow.provider.unregister({ deviceId: nodeId });
      expect(slow.simulator.thing(nodeId)).to.equal(undefined);
      const apis = slow.simulator.calls.map((c) => c.api);
      // The simulator did refuse while the detach propagated: the waits were needed.
      expect(apis.filter((a) => a === 'DeleteCertificate').length, 'DeleteCertificate repeated').to.be.greaterThan(2);
      // DeleteCertificate waited until the detach had propagated, so DeleteThing found nothing attached.
      expect(apis.filter((a) => a === 'DeleteThing')).to.have.length(1);
    });
  });

  describe('signing and errors', () => {
    it('a wrong secret: AUTHENTICATION_FAILED with AWS\'s type, sent once, secret nowhere in the error', async () => {
      const impostor = await r.with({ credentials: { accessKeyId: r.config.credentials.accessKeyId, secretAccessKey: 'wrong-secret-key-0123456789' } });
      const before = r.simulator.requestCount;
      const error = await failure(impostor.lookup({ nodeId: 'x' }), 'AUTHENTICATION_FAILED');
      expect(error).to.include({ vendorCode: 'InvalidSignatureException', httpStatus: 403, retryable: false });
      expect(r.simulator.requestCount - before).to.equal(1);
      expect(JSON.stringify(error) + inspect(error, { depth: 8 }) + inspect(impostor)).to.not.include('wrong-secret-key-0123456789');
    });

    it('a server clock 10 minutes ahead: one "Signature expired", the clock corrected from Date, then success', async () => {
      r.simulator.setClockSkew(600);
      const failures = r.simulator.stats.signatureFailures;
      const nodeId = node();
      await r.provider.register({ nodeId });
      expect(r.simulator.stats.signatureFailures - failures).to.equal(1);
      expect(r.provider.clock.offsetSeconds).to.be.within(598, 602);
    });

    it('AWS\'s error types become the core codes (throttling arrives as HTTP 400)', async () => {
      const cases: Array<[string, number, string, boolean]> = [
        ['ThrottlingException', 400, 'RATE_LIMITED', true],
        ['ResourceNotFoundException', 404, 'NOT_FOUND', false],
        ['UnauthorizedException', 401, 'ACCESS_DENIED', false],
        ['InvalidRequestException', 400, 'INVALID_INPUT', false],
        ['ServiceUnavailableException', 503, 'UNAVAILABLE', true],
        ['InternalFailureException', 500, 'UNAVAILABLE', true],
        ['CertificateStateException', 406, 'INTERNAL', false],
      ];
      const once = await r.with({ retry: { maxAttempts: 1 } });
      for (const [type, status, code, retryable] of cases) {
        await r.simulator.injectFault({ kind: 'vendor', code: type, status, path: 'DescribeThing' });
        const error = await failure(once.lookup({ nodeId: 'x' }), code as never);
        expect(error, type).to.include({ vendorCode: type, httpStatus: status, retryable });
      }
    });
  });

  describe('rate limits', () => {
    it('the default per-API limiters keep 12 parallel status calls under AWS\'s published 10 TPS for GetThingConnectivityData', async () => {
      const nodeId = node();
      await r.provider.register({ nodeId });
      const throttled = r.simulator.stats.throttled;
      // A fresh second: earlier tests' calls must not count against this one.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const started = performance.now();
      await Promise.all(Array.from({ length: 12 }, () => r.provider.status({ deviceId: nodeId })));
      expect(r.simulator.stats.throttled).to.equal(throttled);
      expect(performance.now() - started).to.be.greaterThan(900);
    });

    it('two instances on one account and region share each API budget (in-process coordination): 0 throttles', async () => {
      const nodeId = node();
      await r.provider.register({ nodeId });
      const both = await Provisioner.create({ instances: { one: { plugin: awsPlugin, config: r.config }, two: { plugin: awsPlugin, config: r.config } } });
      try {
        const [one, two] = [both.get('one'), both.get('two')];
        const throttled = r.simulator.stats.throttled;
        await new Promise((resolve) => setTimeout(resolve, 1100));
        // Each alone keeps to GetThingConnectivityData's 10 TPS; together, unshared, they would send 16 in one second.
        await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? one : two).status({ deviceId: nodeId })));
        expect(r.simulator.stats.throttled).to.equal(throttled);
      } finally {
        await both.close();
      }
    });

    it('without them (apiRateLimits: false, to show the simulator enforces the same limits), AWS throttles and the calls are retried', async () => {
      const unlimited = await r.with({ apiRateLimits: false, retry: { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 } });
      const throttled = r.simulator.stats.throttled;
      const nodeId = node();
      await unlimited.register({ nodeId });
      await Promise.all(Array.from({ length: 12 }, () => unlimited.status({ deviceId: nodeId })));
      expect(r.simulator.stats.throttled).to.be.greaterThan(throttled);
    });
  });
});
