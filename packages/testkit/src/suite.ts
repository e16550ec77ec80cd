import { SuiteContext } from './context.js';
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
    this.timeout(options.timeoutMs ?? 30_000);
    before(async () => {
      await harness.setup?.();
      // The default configuration, as a user gets it: no overrides a user would not have.
      ctx.provider = await harness.createProvider({});
    });
    after(async () => {
      await harness.teardown?.();
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
