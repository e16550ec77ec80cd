/** Which requests a fault applies to. */
export interface SimFaultTarget {
  /** Only requests whose path (or action, for action-routed APIs) contains this. */
  path?: string;
  /** How many matching requests it applies to. Default 1. */
  times?: number;
  /** Let this many matching requests through first (to fail step 3 of a sequence). Default 0. */
  skip?: number;
}

/**
 * Faults a simulator can be told to inject, for tests and demos. Each applies to the next
 * `times` API requests (default 1) whose path contains `path` (default: any).
 */
export type SimFault = SimFaultTarget &
  (
    | { kind: 'status'; status: number; body?: string }
    | { kind: 'latency'; ms: number }
    | { kind: 'drop' }
    /** The request is carried out, then the connection closes without an answer. */
    | { kind: 'lost-answer' }
    | { kind: 'malformed' }
    /** A vendor error in the vendor's own body shape (the simulator knows how to write it). */
    | { kind: 'vendor'; code: string; status?: number; message?: string }
  );

export const FAULT_KINDS = ['status', 'latency', 'drop', 'lost-answer', 'malformed', 'vendor'] as const;

export class FaultQueue {
  private faults: Array<SimFault & { left: number; skipLeft: number }> = [];

  add(fault: SimFault): void {
    if (!FAULT_KINDS.includes(fault.kind)) throw new Error(`unknown fault kind ${String(fault.kind)}`);
    this.faults.push({ ...fault, left: fault.times ?? 1, skipLeft: fault.skip ?? 0 });
  }

  clear(): void {
    this.faults = [];
  }

  get size(): number {
    return this.faults.length;
  }

  /** The fault that applies to this request (described by path and action), consumed; undefined when none. */
  take(target: string): SimFault | undefined {
    const index = this.faults.findIndex((f) => !f.path || target.includes(f.path));
    if (index < 0) return undefined;
    const fault = this.faults[index] as SimFault & { left: number; skipLeft: number };
    if (fault.skipLeft > 0) {
      fault.skipLeft--;
      return undefined;
    }
    fault.left--;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }
}
