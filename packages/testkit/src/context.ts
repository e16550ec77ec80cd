import type { DeviceBackend, ProviderCapabilities, ProvisioningProvider } from '@provisio/core';
import { uniqueNodeId } from './fixtures.js';
import type { Harness } from './harness.js';
import type { ConformanceReport } from './report.js';

/** Shared state of one suite run, handed to every scenario. */
export class SuiteContext {
  provider!: ProvisioningProvider;
  /** Secrets the cloud issued during the run (PSKs, private keys): they must not leak either. */
  readonly issuedSecrets: string[] = [];

  constructor(
    readonly harness: Harness,
    readonly report: ConformanceReport,
  ) {}

  get capabilities(): ProviderCapabilities {
    return this.provider.capabilities;
  }

  get backend(): DeviceBackend | undefined {
    return this.harness.backend?.();
  }

  nodeId(): string {
    return this.harness.newNodeId?.() ?? uniqueNodeId();
  }

  /**
   * Declares one test: skipped (visibly, with the reason) when `needs` names a missing
   * capability; reported as known-fail when listed by the harness; recorded in the report.
   */
  test(group: string, title: string, body: () => Promise<void>, needs?: () => string | undefined): void {
    const ctx = this;
    it(title, async function () {
      const started = performance.now();
      const record = (status: 'pass' | 'fail' | 'skip' | 'known-fail', message?: string) =>
        ctx.report.add({ provider: ctx.harness.name, group, title, status, message, durationMs: Math.round(performance.now() - started) });
      const missing = needs?.();
      if (missing) {
        record('skip', missing);
        this.skip();
      }
      const known = ctx.harness.knownFailures?.includes(title) ?? false;
      try {
        await body();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (known) {
          record('known-fail', message);
          return;
        }
        record('fail', message);
        throw error;
      }
      if (known) {
        record('fail', 'passed, but the harness lists it as a known failure: remove it from knownFailures');
        throw new Error(`"${title}" passed, but the harness lists it as a known failure: remove it from knownFailures`);
      }
      record('pass');
    });
  }

  /** Reason to skip when an operation is not claimed. */
  needsOperation(...operations: Array<keyof ProviderCapabilities['operations']>): () => string | undefined {
    return () => {
      const missing = operations.filter((op) => !this.capabilities.operations[op]);
      return missing.length ? `${this.harness.name} does not claim ${missing.join(', ')}` : undefined;
    };
  }

  /** Reason to skip when there is no backend control (live mode). */
  needsBackend(...operations: Array<keyof ProviderCapabilities['operations']>): () => string | undefined {
    return () => this.needsOperation(...operations)() ?? (this.backend ? undefined : 'needs the device side (no backend control: live mode)');
  }
}
