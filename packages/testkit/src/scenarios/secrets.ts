import { expectNoSecrets, expectProvisioningError, observedErrors } from '../assertions.js';
import type { SuiteContext } from '../context.js';

/** No configured secret, token, PSK or private key in any error's message, stack or JSON. */
export function secretScenarios(ctx: SuiteContext): void {
  describe('secrets', () => {
    afterEach(async () => ctx.backend?.clearFaults());

    ctx.test('secrets', 'an error body that echoes the secrets does not leak them', async () => {
      // The instance that was issued the PSKs is the one that must keep them out of its errors.
      const echo = [...ctx.harness.secrets(), ...ctx.issuedSecrets].join(' ');
      await ctx.backend?.injectFault({ kind: 'status', status: 500, body: `{"error":"${echo}","message":"${echo}"}`, times: 20 });
      const error = await expectProvisioningError(ctx.provider.register({ nodeId: ctx.nodeId() }));
      expectNoSecrets([error], [...ctx.harness.secrets(), ...ctx.issuedSecrets]);
    }, ctx.needsBackend('register'));

    ctx.test('secrets', 'no error seen during the whole run carries a secret', async () => {
      expectNoSecrets(observedErrors, [...ctx.harness.secrets(), ...ctx.issuedSecrets]);
    });
  });
}
