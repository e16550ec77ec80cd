/**
 * Faults a simulator can be told to inject, for tests and demos. Each applies to the next
 * `times` API requests (default 1) whose path contains `path` (default: any).
 */
export type SimFault =
  | { kind: 'status'; status: number; body?: string; path?: string; times?: number }
  | { kind: 'latency'; ms: number; path?: string; times?: number }
  | { kind: 'drop'; path?: string; times?: number }
  | { kind: 'malformed'; path?: string; times?: number }
  /** A vendor error in the vendor's own body shape (the simulator knows how to write it). */
  | { kind: 'vendor'; code: string; status?: number; message?: string; path?: string; times?: number };

export const FAULT_KINDS = ['status', 'latency', 'drop', 'malformed', 'vendor'] as const;

export class FaultQueue {
  private faults: Array<SimFault & { left: number }> = [];

  add(fault: SimFault): void {
    if (!FAULT_KINDS.includes(fault.kind)) throw new Error(`unknown fault kind ${String(fault.kind)}`);
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  get size(): number {
    return this.faults.length;
  }

  /** The fault that applies to this request, consumed; undefined when none. */
  take(path: string): SimFault | undefined {
    const index = this.faults.findIndex((f) => !f.path || path.includes(f.path));
    if (index < 0) return undefined;
    const fault = this.faults[index] as SimFault & { left: number };
    fault.left--;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }
}
