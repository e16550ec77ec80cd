import type { DeviceCredentials } from '../contract/credentials.js';
import type { Registration } from '../contract/device.js';
import type { SimFault } from '../simulator/faults.js';

/** Variations of an instance's config that the conformance suite asks for. */
export interface ConfigOverrides {
  /** Credentials the backend will reject (to test AUTHENTICATION_FAILED). */
  invalidCredentials?: boolean;
  timeoutMs?: number;
  /** Total attempts per call (1 = no retries). */
  maxAttempts?: number;
  /** Allow rekey operations that re-create a device (where the provider needs an opt-in). */
  allowDestructiveRekey?: boolean;
}

/** The device side of a backend, and its fault injection. */
export interface DeviceBackend {
  /** The device connects using the credentials it was given (throws when they do not work). */
  connect(registration: Registration, credentials: DeviceCredentials): Promise<void>;
  disconnect(registration: Registration): Promise<void>;
  injectFault(fault: SimFault): Promise<void>;
  clearFaults(): Promise<void>;
  /** API requests the backend has received so far (control calls excluded). */
  requestCount(): Promise<number>;
}

/** A started simulator, as the conformance runner, the CLI and the demo use it. */
export interface RunningSimulator {
  /** Where it listens, e.g. http://127.0.0.1:41234 */
  url: string;
  /** A config for this plugin that points at the simulator. */
  instanceConfig(overrides?: ConfigOverrides): Record<string, unknown>;
  /** Every secret in `instanceConfig()` (the suite checks none leaks). */
  secrets(): string[];
  /** Files a client outside the process needs (certificates), by name. */
  files?: Record<string, string>;
  /** How a script or another process acts as the device (the simulator's control routes). */
  deviceSide?: string;
  backend: DeviceBackend;
  stop(): Promise<void>;
}

export interface SimulatorStartOptions {
  port?: number;
  host?: string;
  /** The simulator's flow control, mirrored in `instanceConfig()`; false for none (bulk tests, benchmarks). */
  rateLimit?: { limit: number; intervalMs: number } | false;
  /**
   * Serve HTTPS with a CA, server and client certificates loaded from (or created in) `dir`;
   * `requireClientCert` makes it mutual TLS. Simulators of plain-HTTP clouds ignore it.
   */
  tls?: { dir: string; requireClientCert?: boolean };
}

/** What a plugin's optional `simulator` field offers. */
export interface SimulatorHook {
  start(options?: SimulatorStartOptions): Promise<RunningSimulator>;
  /**
   * The simulator can serve HTTPS with `start({ tls })`, as its cloud does (HTTPS only): tools
   * such as `provisio simulate` then hand it a certificate directory unless told not to.
   */
  servesTls?: boolean;
}

/**
 * The retry policy a simulator hook writes into `instanceConfig()`: generous backoff, since other
 * instances of the same app (the conformance suite runs several) share the simulator's flow
 * control; `overrides.maxAttempts` as the suite asks.
 */
export function simulatorClientRetry(overrides: ConfigOverrides = {}): { maxAttempts: number; baseDelayMs: number; maxDelayMs: number } {
  return { maxAttempts: overrides.maxAttempts ?? 5, baseDelayMs: 200, maxDelayMs: 2000 };
}
