import type { ConfigOverrides, DeviceBackend, ProvisioningProvider } from '@provisio/core';

/**
 * What a provider's test file hands the conformance suite: how to make fresh provider
 * instances and, optionally, how to drive the backend as the device would.
 */
export interface Harness {
  /** Shown in test titles and reports, e.g. "huawei". */
  name: string;
  /** Runs before the suite (start a simulator). */
  setup?(): Promise<void>;
  /** Runs after the suite (close providers, stop the simulator). */
  teardown?(): Promise<void>;
  /** A fresh provider instance; the overrides ask for config variations. */
  createProvider(overrides?: ConfigOverrides): Promise<ProvisioningProvider>;
  /** The device side and fault injection; undefined in live mode (device steps are skipped). */
  backend?(): DeviceBackend | undefined;
  /** The plugin's config schema, checked against the JSON Schema 2020-12 meta-schema. */
  configSchema?(): Record<string, unknown> | undefined;
  /** Configured secrets that must never appear in an error. */
  secrets(): string[];
  /** A device identifier valid on this cloud; unique per call. Default `conf-<run>-<n>`. */
  newNodeId?(): string;
  /**
   * Known failures, by test title (as web-platform-tests expectation files): such a test is
   * run and reported as "known-fail"; if it passes, the suite fails so the list stays honest.
   */
  knownFailures?: string[];
}
