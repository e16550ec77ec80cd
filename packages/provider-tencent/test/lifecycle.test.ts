import { expect } from 'chai';
import type { DeviceCredentials, PskCredentials, X509Credentials } from '@provisio/core';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { failure, rig, type Rig } from './helpers.js';

describe('tencent: lifecycle through both faces of the simulator', function () {
  this.timeout(30_000);
  let r: Rig;
  afterEach(async () => r?.close());

  it('dynamic registration (sealed), decrypt, connect, status, rekey rules, unregister', async () => {
    r = await rig();
    const { provider, simulator, config } = r;
    expect(provider.capabilities.operations).to.deep.equal({ register: true, lookup: true, status: true, rekey: true, decryptCredentials: true, unregister: true });
    expect(provider.capabilities.sealedCredentials).to.equal(true);

    const registration = await provider.register({ nodeId: 'sensor_01' });
    expect(registration.deviceId).to.equal(`${config.productId}/sensor_01`);
    expect(registration.credentials).to.include({ kind: 'sealed', scheme: 'tencent/aes-128-cbc-zero', productId: config.productId });
    const plain = (await provider.decryptCredentials(registration.credentials)) as PskCredentials;
    expect(plain).to.include({ kind: 'psk', encoding: 'base64' });
    const ref = { deviceId: registration.deviceId };

    expect(await provider.status(ref)).to.deep.include({ activated: false, connectivity: 'offline' });
    // The status keeps the vendor's fields aside, without the PSK.
    expect((await provider.status(ref)).raw).to.include({ Status: 3 }).and.not.have.property('DevicePsk');

    simulator.connectWithPsk(config.productId, 'sensor_01', plain.psk);
    expect(await provider.status(ref)).to.deep.include({ activated: true, connectivity: 'online' });
    expect(await failure(provider.rekey(ref, {}))).to.include({ code: 'DEVICE_ONLINE' });
    // Registering again is refused: looked up first with the Cloud API keys, and by the gateway itself once connected.
    const again = await failure(provider.register({ nodeId: 'sensor_01' }));
    expect(again).to.include({ code: 'ALREADY_EXISTS' });
    expect(again.details).to.deep.equal({ activated: true });
    expect(await failure((await r.with({ cloudApi: undefined })).register({ nodeId: 'sensor_01' }))).to.include({
      code: 'ALREADY_EXISTS', vendorCode: 'UnauthorizedOperation.DeviceIsActivated',
    });

    simulator.disconnect(config.productId, 'sensor_01');
    expect(await provider.status(ref)).to.deep.include({ activated: true, connectivity: 'offline' });
    const refused = await failure(provider.rekey(ref, {}));
    expect(refused.code).to.equal('UNSUPPORTED');
    expect(refused.message).to.include('rekey.recreateActivatedDevices').and.include('history');

    const optedIn = await r.with({ rekey: { recreateActivatedDevices: true } });
    const rekeyed = await optedIn.rekey(ref, { psk: 'bmV3LXBzay1mb3ItdGhlLWRldmljZQ==' });
    expect(rekeyed.credentials).to.deep.equal({ kind: 'psk', psk: 'bmV3LXBzay1mb3ItdGhlLWRldmljZQ==', encoding: 'base64' });
    expect(() => simulator.connectWithPsk(config.productId, 'sensor_01', plain.psk)).to.throw('PSK rejected');
    simulator.connectWithPsk(config.productId, 'sensor_01', 'bmV3LXBzay1mb3ItdGhlLWRldmljZQ==');
    simulator.disconnect(config.productId, 'sensor_01');

    await provider.unregister(ref);
    expect(await failure(provider.status(ref))).to.include({ code: 'NOT_FOUND', vendorCode: 'ResourceNotFound.DeviceNotExist' });
  });

  it('register of a device that has not connected yet: ALREADY_EXISTS with Cloud API keys; only rekey issues a new PSK', async () => {
    r = await rig();
    const { provider, simulator, config } = r;
    const first = (await provider.decryptCredentials((await provider.register({ nodeId: 'again' })).credentials)) as PskCredentials;
    const again = await failure(provider.register({ nodeId: 'again' }));
    expect(again).to.include({ code: 'ALREADY_EXISTS', retryable: false });
    expect(again.details).to.deep.equal({ activated: false });
    expect(simulator.device(config.productId, 'again')).to.include({ psk: first.psk, registrations: 1 });
    // Rekey of a never-connected device is a fresh dynamic registration.
    const rekeyed = await provider.rekey({ deviceId: `${config.productId}/again` }, {});
    const second = (await provider.decryptCredentials(rekeyed.credentials)) as PskCredentials;
    expect(second.psk).to.not.equal(first.psk);
    expect(() => simulator.connectWithPsk(config.productId, 'again', first.psk)).to.throw();
    simulator.connectWithPsk(config.productId, 'again', second.psk);
  });

  it('with only a productSecret the platform re-issues the PSK of a device not yet connected, as the manifest declares', async () => {
    r = await rig();
    const { simulator, config } = r;
    const deviceOnly = await r.with({ cloudApi: undefined });
    expect(deviceOnly.capabilities.registerRefusesExisting).to.equal('once-activated');
    expect(r.provider.capabilities.registerRefusesExisting).to.equal('always');
    const first = (await deviceOnly.decryptCredentials((await deviceOnly.register({ nodeId: 'again' })).credentials)) as PskCredentials;
    const second = (await deviceOnly.decryptCredentials((await deviceOnly.register({ nodeId: 'again' })).credentials)) as PskCredentials;
    expect(second.psk).to.not.equal(first.psk);
    expect(simulator.device(config.productId, 'again')?.psk).to.equal(second.psk);
  });

  it('signs with hmacsha1 when configured', async () => {
    r = await rig({}, { signatureMethod: 'hmacsha1' });
    const registration = await r.provider.register({ nodeId: 'sha1-device' });
    expect(registration.credentials.kind).to.equal('sealed');
  });

  it('certificate products yield an X.509 certificate and private key (PEM)', async () => {
    r = await rig({ products: [{ productId: 'CERTPROD01', productSecret: 'cert-product-secret-0123', authType: 'certificate' }] });
    expect(r.provider.capabilities.credentialKinds).to.deep.equal(['x509']);
    const credentials = (await r.provider.decryptCredentials((await r.provider.register({ nodeId: 'cam-1' })).credentials)) as X509Credentials;
    expect(credentials.kind).to.equal('x509');
    const cert = new X509Certificate(credentials.certificate);
    expect(cert.subject).to.include('CERTPROD01cam-1');
    expect(cert.checkPrivateKey(createPrivateKey(credentials.privateKey as string))).to.equal(true);
  });

  it('application-side registration with CreateDevice (plain PSK, optional DefinedPsk)', async () => {
    r = await rig({}, { registerMode: 'create-device' });
    expect(r.provider.capabilities.sealedCredentials).to.equal(false);
    const generated = await r.provider.register({ nodeId: 'app-side-1' });
    expect(generated.credentials).to.include({ kind: 'psk', encoding: 'base64' });
    const defined = await r.provider.register({ nodeId: 'app-side-2', psk: 'c2VjcmV0LXBzay12YWx1ZQ==' });
    expect(defined.credentials).to.deep.equal({ kind: 'psk', psk: 'c2VjcmV0LXBzay12YWx1ZQ==', encoding: 'base64' });
    expect(await r.provider.decryptCredentials(defined.credentials as DeviceCredentials)).to.deep.equal(defined.credentials);
    expect(await failure(r.provider.register({ nodeId: 'app-side-2' }))).to.include({
      code: 'ALREADY_EXISTS', vendorCode: 'InvalidParameterValue.DeviceAlreadyExist',
    });
  });

  it('the capability manifest follows the configuration', async () => {
    r = await rig();
    const deviceOnly = await r.with({ cloudApi: undefined });
    expect(deviceOnly.capabilities.operations).to.deep.equal({ register: true, lookup: false, status: false, rekey: false, decryptCredentials: true, unregister: false });
    const status = await failure(deviceOnly.status({ deviceId: `${r.config.productId}/x` }));
    expect(status.code).to.equal('UNSUPPORTED');
    expect(status.message).to.include('cloudApi.secretId');
    const cloudOnly = await r.with({ productSecret: undefined });
    expect(cloudOnly.capabilities).to.deep.include({ sealedCredentials: false });
    expect(cloudOnly.capabilities.operations).to.deep.equal({ register: true, lookup: true, status: true, rekey: true, decryptCredentials: true, unregister: true });
    const sealed = { kind: 'sealed' as const, scheme: 'tencent/aes-128-cbc-zero', payload: 'AAAAAAAAAAAAAAAAAAAAAA==', length: 3 };
    expect(await failure(cloudOnly.decryptCredentials(sealed))).to.include({ code: 'UNSUPPORTED' });
    // With no productSecret, rekeying a never-connected device is delete + create (nothing to lose).
    const created = await cloudOnly.register({ nodeId: 'fresh' });
    const rekeyed = await cloudOnly.rekey({ deviceId: created.deviceId }, {});
    expect((rekeyed.credentials as PskCredentials).psk).to.not.equal((created.credentials as PskCredentials).psk);
  });
});
