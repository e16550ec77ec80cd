import type { ConfigOverrides, DeviceBackend, ProviderCapabilities, ProvisioningProvider } from '@provisio/core';
import { DeviceTracker } from './device-tracker.js';
import { uniqueNodeId } from './fixtures.js';
import type { Harness } from './harness.js';
import type { ConformanceReport } from './report.js';

/** Shared state of one suite run, handed to every scenario. */
export class SuiteContext {
  provider!: ProvisioningProvider;
  /** Secrets the cloud issued during the run (PSKs, private keys): they must not leak either. */
  readonly issuedSecrets: string[] = [];
  /** Every device created through a provider of this run, for the clean-up at the end. */
  readonly devices = new DeviceTracker();

  constructor(
    readonly harness: Harness,
    readonly report: ConformanceReport,
  ) {}

  /** A provider instance whose creations are tracked for clean-up (scenarios use this, not the harness). */
  async createProvider(overrides: ConfigOverrides = {}): Promise<ProvisioningProvider> {
    return this.devices.watch(await this.harness.createProvider(overrides));
  }

  /**
   * How long `calls` calls take at the flow control the instance's manifest declares (0 when it
   * declares none). A live cloud's default limit (Huawei: 100 calls a minute) makes a scenario of
   * 200 calls take two minutes; the time budget has to follow it.
   */
  flowTimeMs(calls: number): number {
    const flow = this.provider?.capabilities.flowControl;
    return flow ? Math.ceil(calls / flow.limit) * flow.intervalMs : 0;
  }

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
  test(group: string, title: string, body: () => Promise<void>, needs?: () => string | undefined, options: { calls?: () => number } = {}): void {
    const ctx = this;
    it(title, async function () {
      // A test that makes many calls gets the time the declared flow control needs for them.
      if (options.calls) this.timeout(this.timeout() + ctx.flowTimeMs(options.calls()));
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
