import { expect } from 'chai';
import type { DeviceRef, Operation, ProvisioningProvider } from '@provisio/core';
import { expectProvisioningError, withoutNetwork } from '../assertions.js';
import type { SuiteContext } from '../context.js';

type Call = (provider: ProvisioningProvider, ref: DeviceRef) => Promise<unknown>;

/** Inputs that break the core contract; every provider must refuse them before any I/O. */
const INVALID: Array<[Operation, string, Call]> = [
  ['register', 'no request at all', (p) => p.register(undefined as never)],
  ['register', 'no nodeId', (p) => p.register({} as never)],
  ['register', 'an empty nodeId', (p) => p.register({ nodeId: '' })],
  ['register', 'a numeric nodeId', (p) => p.register({ nodeId: 42 } as never)],
  ['register', 'an unknown field', (p) => p.register({ nodeId: 'valid-node', colour: 'red' } as never)],
  ['register', 'a negative validity', (p) => p.register({ nodeId: 'valid-node', validitySeconds: -1 })],
  ['lookup', 'no nodeId', (p) => p.lookup({} as never)],
  ['lookup', 'an empty nodeId', (p) => p.lookup({ nodeId: '' })],
  ['lookup', 'an unknown field', (p) => p.lookup({ nodeId: 'valid-node', colour: 'red' } as never)],
  ['status', 'no deviceId', (p) => p.status({} as never)],
  ['status', 'an empty deviceId', (p) => p.status({ deviceId: '' })],
  ['status', 'a numeric deviceId', (p) => p.status({ deviceId: 7 } as never)],
  ['rekey', 'an empty deviceId', (p) => p.rekey({ deviceId: '' }, {})],
  ['rekey', 'a validity that is not a number', (p, ref) => p.rekey(ref, { validitySeconds: 'soon' } as never)],
  ['rekey', 'an unknown field', (p, ref) => p.rekey(ref, { colour: 'red' } as never)],
  ['decryptCredentials', 'no kind', (p) => p.decryptCredentials({} as never)],
  ['decryptCredentials', 'an unknown kind', (p) => p.decryptCredentials({ kind: 'magic' } as never)],
  ['decryptCredentials', 'a sealed payload without payload', (p) => p.decryptCredentials({ kind: 'sealed', scheme: 'x', length: 1 } as never)],
  ['decryptCredentials', 'a PSK without its value', (p) => p.decryptCredentials({ kind: 'psk', encoding: 'hex' } as never)],
  ['unregister', 'no deviceId', (p) => p.unregister({} as never)],
  ['unregister', 'an empty deviceId', (p) => p.unregister({ deviceId: '' })],
];

/** A table of invalid inputs for every claimed operation: INVALID_INPUT, and no request leaves the process. */
export function validationScenarios(ctx: SuiteContext): void {
  describe('validation', () => {
    let ref: DeviceRef = { deviceId: 'unknown' };
    before(async () => {
      // A real device id, so rekey's request (not its reference) is what fails.
      if (ctx.capabilities.operations.register) {
        try {
          ref = { deviceId: (await ctx.provider.register({ nodeId: ctx.nodeId() })).deviceId };
        } catch {
          /* the register scenarios report this */
        }
      }
    });

    for (const [operation, name, call] of INVALID) {
      ctx.test('validation', `${operation}: ${name} is INVALID_INPUT and sends nothing`, async () => {
        const before = await ctx.backend?.requestCount();
        const { result: error, attempts } = await withoutNetwork(() => expectProvisioningError(call(ctx.provider, ref), 'INVALID_INPUT'));
        expect(error.field, 'the error names the field').to.be.a('string').and.not.empty;
        expect(error.retryable).to.equal(false);
        expect(attempts, 'outbound connection attempts').to.equal(0);
        if (before !== undefined) expect(await ctx.backend?.requestCount(), 'requests the backend received').to.equal(before);
      }, ctx.needsOperation(operation));
    }
  });
}
