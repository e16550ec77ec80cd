import { expect } from 'chai';
import type { SuiteContext } from '../context.js';

export const PARALLEL_REGISTRATIONS = 100;

/** 100 parallel registrations succeed with distinct device ids. */
export function concurrencyScenarios(ctx: SuiteContext): void {
  describe('concurrency', () => {
    ctx.test('concurrency', `${PARALLEL_REGISTRATIONS} parallel registrations succeed with distinct device ids`, async () => {
      const results = await Promise.all(Array.from({ length: PARALLEL_REGISTRATIONS }, () => ctx.provider.register({ nodeId: ctx.nodeId() })));
      expect(new Set(results.map((r) => r.deviceId)).size).to.equal(PARALLEL_REGISTRATIONS);
      if (ctx.capabilities.operations.unregister) {
        await Promise.all(results.map((r) => ctx.provider.unregister({ deviceId: r.deviceId })));
      }
    }, ctx.needsOperation('register'), {
      // Registrations and deletes, each counted twice (a lookup before a register, a throttle
      // retried): the time budget follows the instance's declared flow control.
      calls: () => PARALLEL_REGISTRATIONS * (ctx.capabilities.operations.unregister ? 2 : 1) * 2,
    });
  });
}
