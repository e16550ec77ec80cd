import { expect } from 'chai';
import type { DeviceCredentials, Registration } from '@provisio/core';
import { expectProvisioningError } from '../assertions.js';
import type { SuiteContext } from '../context.js';

function secretsOf(credentials: DeviceCredentials): string[] {
  if (credentials.kind === 'psk') return [credentials.psk];
  if (credentials.kind === 'x509') return credentials.privateKey ? [credentials.privateKey] : [];
  return credentials.psk ? [credentials.psk] : [];
}

/** register → not activated → connect → online → rekey refused → offline → rekey → usable credentials → unregister → NOT_FOUND */
export function lifecycleScenarios(ctx: SuiteContext): void {
  describe('lifecycle', () => {
    let registration: Registration | undefined;
    let credentials: DeviceCredentials | undefined;
    const ref = () => ({ deviceId: (registration as Registration).deviceId });
    const registered = () => (registration ? undefined : 'registration failed earlier');
    const rekeyScope = () => ctx.capabilities.rekeyScope ?? 'any';

    const open = async (reg: Registration): Promise<DeviceCredentials> => {
      const plain = await ctx.provider.decryptCredentials(reg.credentials);
      expect(plain.kind).to.not.equal('sealed');
      expect(ctx.capabilities.credentialKinds, `declared credential kinds`).to.include(plain.kind);
      ctx.issuedSecrets.push(...secretsOf(plain));
      return plain;
    };

    ctx.test('register', 'register: creates a device identity', async () => {
      const nodeId = ctx.nodeId();
      registration = await ctx.provider.register({ nodeId });
      expect(registration.deviceId, 'deviceId').to.be.a('string').and.not.empty;
      expect(registration.nodeId).to.equal(nodeId);
      expect(registration.credentials.kind === 'sealed', 'sealed credentials as the manifest declares').to.equal(ctx.capabilities.sealedCredentials);
    }, ctx.needsOperation('register'));

    ctx.test('lookup', 'lookup: finds the device by the node id it was registered with', async () => {
      const found = await ctx.provider.lookup({ nodeId: (registration as Registration).nodeId });
      expect(found.deviceId).to.equal(ref().deviceId);
    }, () => ctx.needsOperation('register', 'lookup')() ?? registered());

    ctx.test('decryptCredentials', 'decryptCredentials: yields credentials of a declared kind', async () => {
      credentials = await open(registration as Registration);
    }, () => ctx.needsOperation('register', 'decryptCredentials')() ?? registered());

    ctx.test('status', 'status: a new device is not activated and not online', async () => {
      const status = await ctx.provider.status(ref());
      expect(status.deviceId).to.equal(ref().deviceId);
      expect(status.activated, 'activated').to.equal(false);
      expect(status.connectivity).to.not.equal('online');
      expect(status.raw, 'raw vendor fields').to.be.an('object');
    }, () => ctx.needsOperation('register', 'status')() ?? registered());

    ctx.test('rekey', 'rekey: before the first connection, as the manifest\'s rekeyScope says', async () => {
      if (rekeyScope() === 'activated') {
        await expectProvisioningError(ctx.provider.rekey(ref(), {}), 'DEVICE_NOT_ACTIVE');
        return;
      }
      const rekeyed = await ctx.provider.rekey(ref(), {});
      expect(rekeyed.deviceId).to.equal(ref().deviceId);
      registration = rekeyed;
      credentials = await open(rekeyed);
    }, () => ctx.needsOperation('register', 'rekey', 'decryptCredentials')() ?? registered());

    ctx.test('status', 'status: after the device connects with its credentials, it is activated and online', async () => {
      await ctx.backend?.connect(registration as Registration, credentials as DeviceCredentials);
      const status = await ctx.provider.status(ref());
      expect(status.activated, 'activated').to.equal(true);
      if (ctx.capabilities.connectivity) expect(status.connectivity).to.equal('online');
    }, () => ctx.needsBackend('register', 'status', 'decryptCredentials')() ?? (credentials ? undefined : 'no credentials'));

    ctx.test('rekey', 'rekey: refused with DEVICE_ONLINE while the device is online', async () => {
      await expectProvisioningError(ctx.provider.rekey(ref(), {}), 'DEVICE_ONLINE');
    }, () =>
      ctx.needsBackend('register', 'rekey', 'decryptCredentials')() ??
      (ctx.capabilities.rekeyRequiresOffline ? undefined : 'the provider does not require devices offline for rekey'));

    ctx.test('status', 'status: after the device disconnects, it is offline and still activated', async () => {
      await ctx.backend?.disconnect(registration as Registration);
      const status = await ctx.provider.status(ref());
      expect(status.activated).to.equal(true);
      if (ctx.capabilities.connectivity) expect(status.connectivity).to.equal('offline');
    }, () => ctx.needsBackend('register', 'status', 'decryptCredentials')() ?? (credentials ? undefined : 'no credentials'));

    ctx.test('rekey', 'rekey: after the device has connected, offline: as rekeyScope says; new credentials work, old ones do not', async () => {
      if (rekeyScope() === 'never-activated') {
        await expectProvisioningError(ctx.provider.rekey(ref(), {}), 'UNSUPPORTED');
        return;
      }
      const rekeyed = await ctx.provider.rekey(ref(), {});
      expect(rekeyed.deviceId).to.equal(ref().deviceId);
      const fresh = await open(rekeyed);
      const backend = ctx.backend;
      if (backend && credentials) {
        let oldWorks = true;
        try {
          await backend.connect(rekeyed, credentials);
        } catch {
          oldWorks = false;
        }
        expect(oldWorks, 'the old credentials still connect after rekey').to.equal(false);
        await backend.connect(rekeyed, fresh);
        await backend.disconnect(rekeyed);
      }
      registration = rekeyed;
      credentials = fresh;
    }, () => ctx.needsBackend('register', 'rekey', 'decryptCredentials')() ?? registered());

    ctx.test('unregister', 'unregister: deletes the device; status then answers NOT_FOUND', async () => {
      await ctx.provider.unregister(ref());
      if (ctx.capabilities.operations.status) await expectProvisioningError(ctx.provider.status(ref()), 'NOT_FOUND');
      await expectProvisioningError(ctx.provider.unregister(ref()), 'NOT_FOUND');
      if (ctx.capabilities.operations.lookup) {
        await expectProvisioningError(ctx.provider.lookup({ nodeId: (registration as Registration).nodeId }), 'NOT_FOUND');
      }
    }, () => ctx.needsOperation('register', 'unregister')() ?? registered());
  });
}
