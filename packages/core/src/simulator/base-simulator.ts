import type { SimFault } from './faults.js';
import { SimServer, type SimReply, type SimRequest, type SimTlsOptions } from './sim-server.js';

export interface BaseSimulatorOptions {
  host?: string;
  port?: number;
  tls?: SimTlsOptions;
  /** The simulator's clock (epoch ms), stamped on every answer's Date header. */
  now?: () => number;
  /** What a fault's `path` is matched against (default: the request path). */
  faultTarget?: (request: SimRequest) => string;
}

/**
 * What every cloud simulator shares: the server on 127.0.0.1, its URL, fault injection and the
 * request count. A simulator implements its vendor routes, its error shape and its device side.
 */
export abstract class BaseSimulator {
  protected readonly server: SimServer;

  protected constructor(options: BaseSimulatorOptions) {
    this.server = new SimServer({
      ...options,
      handle: (req) => this.handle(req),
      vendorFault: (fault) => this.vendorFault(fault),
      control: (req) => this.control(req),
    });
  }

  /** The vendor's API routes. */
  protected abstract handle(request: SimRequest): SimReply | Promise<SimReply>;
  /** A `vendor` fault written in the vendor's own error shape. */
  protected abstract vendorFault(fault: Extract<SimFault, { kind: 'vendor' }>): SimReply;
  /** Device-side control routes under /__sim/; undefined when none matches. */
  protected control(_request: SimRequest): SimReply | undefined {
    return undefined;
  }

  /** Starts listening; resolves with the URL. */
  start(): Promise<string> {
    return this.server.start();
  }

  get url(): string {
    return this.server.url;
  }

  /** API requests received so far (control routes excluded). */
  get requestCount(): number {
    return this.server.requestCount;
  }

  injectFault(fault: SimFault): void {
    this.server.faults.add(fault);
  }

  clearFaults(): void {
    this.server.faults.clear();
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** The fault half of a `DeviceBackend` (a simulator hook adds the device's connect/disconnect). */
  faultControls(): { injectFault(fault: SimFault): Promise<void>; clearFaults(): Promise<void>; requestCount(): Promise<number> } {
    return {
      injectFault: async (fault) => this.injectFault(fault),
      clearFaults: async () => this.clearFaults(),
      requestCount: async () => this.requestCount,
    };
  }
}
