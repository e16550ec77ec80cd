import { expect } from 'chai';
import type { ErrorCode, ProvisioningProvider, Registration } from '@provisio/core';
import type { SimFault } from '@provisio/core/simulator';
import { expectProvisioningError } from '../assertions.js';
import type { SuiteContext } from '../context.js';

/** Faults injected into the backend and the core code (and retryable flag) each must become. */
const FAULTS: Array<[string, SimFault, ErrorCode, boolean]> = [
  ['an HTTP 503', { kind: 'status', status: 503, times: 10 }, 'UNAVAILABLE', true],
  ['an HTTP 429 throttle', { kind: 'status', status: 429, times: 10 }, 'RATE_LIMITED', true],
  // A proxy's bare answers carry no vendor code: every provider maps them by the same status family.
  ['an HTTP 403 without a vendor code', { kind: 'status', status: 403, times: 10 }, 'ACCESS_DENIED', false],
  ['an HTTP 404 without a vendor code', { kind: 'status', status: 404, times: 10 }, 'NOT_FOUND', false],
  ['an HTTP 504 from a gateway', { kind: 'status', status: 504, times: 10 }, 'TIMEOUT', true],
  ['a dropped connection', { kind: 'drop', times: 10 }, 'UNAVAILABLE', true],
  ['a malformed body', { kind: 'malformed', times: 10 }, 'INTERNAL', false],
];

/** Authentication failure, not found, already exists, throttling, 5xx, timeout, malformed body. */
export function errorScenarios(ctx: SuiteContext): void {
  describe('errors', () => {
    let oneShot: ProvisioningProvider;
    before(async () => {
      oneShot = await ctx.createProvider({ maxAttempts: 1 });
      // Warm it up (logins, clock sync) so the faults below hit the operation under test.
      if (ctx.capabilities.operations.register) await oneShot.register({ nodeId: ctx.nodeId() }).catch(() => undefined);
    });
    afterEach(async () => ctx.backend?.clearFaults());

    ctx.test('errors', 'wrong credentials: AUTHENTICATION_FAILED, not retryable', async () => {
      const impostor = await ctx.createProvider({ invalidCredentials: true, maxAttempts: 1 });
      const error = await expectProvisioningError(impostor.register({ nodeId: ctx.nodeId() }), 'AUTHENTICATION_FAILED');
      expect(error.retryable).to.equal(false);
    }, ctx.needsOperation('register'));

    ctx.test('errors', 'a device that does not exist: NOT_FOUND', async () => {
      const registration = await ctx.provider.register({ nodeId: ctx.nodeId() });
      await ctx.provider.unregister({ deviceId: registration.deviceId });
      const error = await expectProvisioningError(ctx.provider.status({ deviceId: registration.deviceId }), 'NOT_FOUND');
      expect(error.retryable).to.equal(false);
    }, ctx.needsOperation('register', 'unregister', 'status'));

    ctx.test('errors', 'registering an activated device again: ALREADY_EXISTS', async () => {
      const nodeId = ctx.nodeId();
      const registration: Registration = await ctx.provider.register({ nodeId });
      await ctx.backend?.connect(registration, await ctx.provider.decryptCredentials(registration.credentials));
      await ctx.backend?.disconnect(registration);
      const error = await expectProvisioningError(ctx.provider.register({ nodeId }), 'ALREADY_EXISTS');
      expect(error.retryable).to.equal(false);
      if (ctx.capabilities.operations.unregister) await ctx.provider.unregister({ deviceId: registration.deviceId });
    }, ctx.needsBackend('register', 'decryptCredentials'));

    const reissues = () => ctx.capabilities.registerRefusesExisting === 'once-activated';

    ctx.test('errors', 'registering a device that has not connected yet again: ALREADY_EXISTS, its credentials unchanged', async () => {
      const nodeId = ctx.nodeId();
      const registration = await ctx.provider.register({ nodeId });
      const error = await expectProvisioningError(ctx.provider.register({ nodeId }), 'ALREADY_EXISTS');
      expect(error.retryable).to.equal(false);
      if (ctx.backend && ctx.capabilities.operations.decryptCredentials) {
        // The credentials of the first registration still connect: nothing was rotated.
        await ctx.backend.connect(registration, await ctx.provider.decryptCredentials(registration.credentials));
        await ctx.backend.disconnect(registration);
      }
      if (ctx.capabilities.operations.unregister) await ctx.provider.unregister({ deviceId: registration.deviceId });
    }, () =>
      ctx.needsOperation('register')() ??
      (reissues() ? `the manifest declares registerRefusesExisting: 'once-activated' (checked by the next test)` : undefined));

    ctx.test('errors', "registering a device that has not connected yet again: a new secret, as 'once-activated' declares", async () => {
      const nodeId = ctx.nodeId();
      const first = await ctx.provider.register({ nodeId });
      const second = await ctx.provider.register({ nodeId });
      expect(second.deviceId).to.equal(first.deviceId);
      if (ctx.backend && ctx.capabilities.operations.decryptCredentials) {
        const stale = await ctx.provider.decryptCredentials(first.credentials);
        let staleWorks = true;
        try {
          await ctx.backend.connect(first, stale);
        } catch {
          staleWorks = false;
        }
        expect(staleWorks, 'the first secret still connects: then the cloud refuses, declare registerRefusesExisting: always').to.equal(false);
      }
    }, () => ctx.needsOperation('register')() ?? (reissues() ? undefined : 'register refuses every existing device (registerRefusesExisting: always)'));

    for (const [name, fault, code, retryable] of FAULTS) {
      ctx.test('errors', `${name}: ${code}, retryable ${retryable}`, async () => {
        await ctx.backend?.injectFault(fault);
        const error = await expectProvisioningError(oneShot.register({ nodeId: ctx.nodeId() }), code);
        expect(error.retryable, 'retryable').to.equal(retryable);
        expect(error.operation).to.equal('register');
      }, ctx.needsBackend('register'));
    }

    ctx.test('errors', 'no answer in time: TIMEOUT, retryable', async () => {
      const impatient = await ctx.createProvider({ timeoutMs: 200, maxAttempts: 1 });
      await impatient.register({ nodeId: ctx.nodeId() });
      await ctx.backend?.injectFault({ kind: 'latency', ms: 1000, times: 10 });
      const error = await expectProvisioningError(impatient.register({ nodeId: ctx.nodeId() }), 'TIMEOUT');
      expect(error.retryable).to.equal(true);
    }, ctx.needsBackend('register'));
  });
}
