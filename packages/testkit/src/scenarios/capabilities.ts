import { expect } from 'chai';
import { assertSchemaDocument, assertValid, capabilitiesSchema, OPERATIONS, type DeviceRef, type ProvisioningProvider } from '@provisio/core';
import { expectProvisioningError } from '../assertions.js';
import type { SuiteContext } from '../context.js';

/** The manifest is well-formed (an unknown key fails the run); an operation not claimed is UNSUPPORTED. */
export function capabilityScenarios(ctx: SuiteContext): void {
  describe('capabilities (honesty)', () => {
    ctx.test('capabilities', 'the capability manifest names only known capabilities', async () => {
      assertValid(capabilitiesSchema, ctx.capabilities, { subject: `${ctx.harness.name} capabilities` });
      expect(ctx.capabilities.credentialKinds, 'credentialKinds').to.not.be.empty;
    });

    ctx.test('capabilities', 'the config schema is a valid JSON Schema 2020-12 document', async () => {
      assertSchemaDocument(ctx.harness.configSchema?.() ?? {}, `${ctx.harness.name} config schema`);
    }, () => (ctx.harness.configSchema?.() ? undefined : 'the harness does not expose a config schema'));

    const ref: DeviceRef = { deviceId: 'unclaimed-operation-check' };
    const calls: Record<(typeof OPERATIONS)[number], (p: ProvisioningProvider) => Promise<unknown>> = {
      register: (p) => p.register({ nodeId: ctx.nodeId() }),
      lookup: (p) => p.lookup({ nodeId: ctx.nodeId() }),
      status: (p) => p.status(ref),
      rekey: (p) => p.rekey(ref, {}),
      decryptCredentials: (p) => p.decryptCredentials({ kind: 'psk', psk: '00000000', encoding: 'hex' }),
      unregister: (p) => p.unregister(ref),
    };
    for (const operation of OPERATIONS) {
      ctx.test(
        operation,
        `${operation}: when not claimed, it answers UNSUPPORTED`,
        async () => {
          const error = await expectProvisioningError(calls[operation](ctx.provider), 'UNSUPPORTED');
          expect(error.message, 'an UNSUPPORTED error should say why').to.have.length.greaterThan(10);
        },
        () => (ctx.capabilities.operations[operation] ? `${operation} is claimed (the lifecycle checks it)` : undefined),
      );
    }
  });
}
