import type { ProvisioningProvider } from '@provisio/core';
import { SuiteContext } from './context.js';
import type { Leftover } from './device-tracker.js';
import type { Harness } from './harness.js';
import { defaultReport, type ConformanceReport } from './report.js';
import { capabilityScenarios } from './scenarios/capabilities.js';
import { concurrencyScenarios } from './scenarios/concurrency.js';
import { errorScenarios } from './scenarios/errors.js';
import { lifecycleScenarios } from './scenarios/lifecycle.js';
import { secretScenarios } from './scenarios/secrets.js';
import { validationScenarios } from './scenarios/validation.js';

export interface SuiteOptions {
  report?: ConformanceReport;
  /** Per-test timeout in ms. Default 30 000. */
  timeoutMs?: number;
}

/**
 * Defines the conformance suite in the caller's mocha (call it at the top level of a test
 * file). Scenarios follow the provider's own capability manifest: what it claims must pass,
 * what it does not is skipped visibly or must answer UNSUPPORTED.
 */
export function runConformance(harness: Harness, options: SuiteOptions = {}): ConformanceReport {
  const report = options.report ?? defaultReport;
  const ctx = new SuiteContext(harness, report);
  describe(`provisio conformance: ${harness.name}`, function () {
    const baseTimeoutMs = options.timeoutMs ?? 30_000;
    this.timeout(baseTimeoutMs);
    let plain: ProvisioningProvider | undefined;
    before(async () => {
      await harness.setup?.();
      // The default configuration, as a user gets it: no overrides a user would not have.
      plain = await harness.createProvider({});
      ctx.provider = ctx.devices.watch(plain);
    });
    beforeEach(function () {
      // Any test may first wait for the window the previous one used up (Huawei: a minute).
      this.currentTest?.timeout(baseTimeoutMs + ctx.flowTimeMs(1));
    });
    after(async function () {
      // Every device the run created is deleted, on a simulator as on a real cloud; what cannot
      // be deleted is reported (and fails the run) rather than left behind silently.
      this.timeout(baseTimeoutMs + ctx.flowTimeMs(2 * ctx.devices.pending + 1));
      try {
        if (plain) {
          const started = performance.now();
          const leftovers = await ctx.devices.cleanUp(plain);
          const failed = leftovers.filter((l) => !l.unsupported);
          const list = (items: Leftover[]) =>
            `${items.slice(0, 20).map((l) => `${l.deviceId ?? '?'} (node ${l.nodeId ?? '?'}): ${l.reason}`).join('; ')}${items.length > 20 ? `; and ${items.length - 20} more` : ''}`;
          report.add({
            provider: harness.name,
            group: 'cleanup',
            title: 'cleanup: every device the suite created is deleted',
            // A manifest without unregister cannot clean up: reported (skip), not failed.
            status: failed.length ? 'fail' : leftovers.length ? 'skip' : 'pass',
            message: leftovers.length ? `${leftovers.length} device(s) left on the cloud: ${list(failed.length ? failed : leftovers)}` : undefined,
            durationMs: Math.round(performance.now() - started),
          });
          if (failed.length) throw new Error(`conformance could not delete ${failed.length} device(s) it created: ${list(failed)}`);
        }
      } finally {
        await harness.teardown?.();
      }
    });
    capabilityScenarios(ctx);
    lifecycleScenarios(ctx);
    validationScenarios(ctx);
    errorScenarios(ctx);
    concurrencyScenarios(ctx);
    secretScenarios(ctx);
  });
  return report;
}
