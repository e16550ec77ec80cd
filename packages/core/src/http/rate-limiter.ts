/**
 * Client-side rate limiter: at most `limit` calls in any window of `intervalMs`, as the server
 * counts them.
 *
 * `limit` slots. A classic continuously-refilling bucket would let `2 × limit` calls
 * through in the first interval, which is precisely what a server counting "100 calls per
 * minute" (Huawei) throttles. And a slot must not come back one interval after the call was
 * *sent*: the server counts the call when it *arrives*, somewhere between the send and the
 * answer, so a burst whose arrivals spread over 30 ms would collide with the next burst sent
 * exactly one interval later. A slot taken with `acquireSlot()` therefore comes back one
 * interval after its call *finished* (the latest moment the server can have counted it), plus
 * a small margin for timer granularity. That bound is exact whatever the network does, so the
 * budget is used up to the latency of one call per interval (~99% at 20/s locally) with no
 * throttle. `acquire()` (no completion known) counts from the grant.
 *
 * The timer is deliberately NOT unref()'d: while a call waits for a slot, that wait is the
 * program's pending work and must keep the process alive (an unref()'d timer let a bulk run
 * exit silently mid-way, code 13, when every worker was waiting). It exists only while callers
 * wait, so an idle limiter never holds the event loop open.
 */
export interface RateLimitOptions {
  /** Calls allowed per interval. */
  limit: number;
  /** Interval length in milliseconds. */
  intervalMs: number;
  /** Extra wait before a slot returns; default 0.5% of the interval, at least 5 ms, at most 1 s. */
  marginMs?: number;
}

/**
 * Call it when the call is over (answer received or given up): the slot's interval starts then.
 * `release(false)` hands the slot back unused (the call was not sent), as if never taken.
 */
export type ReleaseSlot = (used?: boolean) => void;

export class RateLimiter {
  readonly limit: number;
  readonly intervalMs: number;
  private readonly marginMs: number;
  /** When each slot's last call was counted from (Infinity while in flight). */
  private readonly spentAt: number[] = [];
  private readonly waiters: Array<(slot: number) => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private granted = 0;
  private closed = false;
  /** What each slot held before it was last taken (so an unused slot can be handed back as it was). */
  private readonly previousAt: number[] = [];

  constructor(options: RateLimitOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError('rate limit must be an integer >= 1');
    if (!(options.intervalMs > 0)) throw new RangeError('rate limit interval must be > 0');
    this.limit = options.limit;
    this.intervalMs = options.intervalMs;
    this.marginMs = options.marginMs ?? defaultMargin(options.intervalMs);
  }

  /** Resolves when the call may go (its slot counts from now); first come, first served. */
  async acquire(): Promise<void> {
    await this.takeSlot();
  }

  /**
   * Resolves when the call may go, with the function to call once it is over: the slot
   * returns one interval after that. Always call it (in a `finally`), or the slot is lost.
   */
  async acquireSlot(): Promise<ReleaseSlot> {
    const slot = await this.takeSlot();
    if (slot < 0) return () => undefined;
    const before = this.previousAt[slot] as number;
    this.spentAt[slot] = Number.POSITIVE_INFINITY;
    let released = false;
    return (used = true) => {
      if (released) return;
      released = true;
      if (used) {
        this.spentAt[slot] = performance.now();
      } else {
        this.spentAt[slot] = before;
        this.granted--;
      }
      this.schedule();
    };
  }

  /** How many calls were let through so far. */
  get grantedCount(): number {
    return this.granted;
  }

  get pending(): number {
    return this.waiters.length;
  }

  /** Stops the internal timer (pending callers are released so nothing hangs on close). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.waiters.length) this.waiters.shift()?.(-1);
  }

  private takeSlot(): Promise<number> {
    if (this.closed) return Promise.resolve(-1);
    if (this.waiters.length === 0) {
      const slot = this.tryTake();
      if (slot >= 0) return Promise.resolve(slot);
    }
    return new Promise<number>((resolve) => {
      this.waiters.push(resolve);
      this.schedule();
    });
  }

  /** The slot index taken, or -1 when none is free yet. */
  private tryTake(): number {
    const now = performance.now();
    if (this.spentAt.length < this.limit) {
      this.previousAt.push(Number.NEGATIVE_INFINITY);
      this.spentAt.push(now);
      this.granted++;
      return this.spentAt.length - 1;
    }
    const slot = this.earliestSlot();
    if (now - (this.spentAt[slot] as number) < this.intervalMs + this.marginMs) return -1;
    this.previousAt[slot] = this.spentAt[slot] as number;
    this.spentAt[slot] = now;
    this.granted++;
    return slot;
  }

  /**
   * The slot that comes back first. Not simply the ring's next one: a slow call (in flight
   * until its timeout) must not hold up the slots of the fast calls after it.
   */
  private earliestSlot(): number {
    let best = 0;
    for (let i = 1; i < this.spentAt.length; i++) if ((this.spentAt[i] as number) < (this.spentAt[best] as number)) best = i;
    return best;
  }

  private schedule(): void {
    if (this.timer || this.waiters.length === 0) return;
    const oldest = this.spentAt.length < this.limit ? 0 : (this.spentAt[this.earliestSlot()] as number);
    // Every slot's call is still in flight: the first release() reschedules.
    if (oldest === Number.POSITIVE_INFINITY) return;
    const wait = Math.max(0, oldest + this.intervalMs + this.marginMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      while (this.waiters.length > 0) {
        const slot = this.tryTake();
        if (slot < 0) break;
        this.waiters.shift()?.(slot);
      }
      this.schedule();
    }, Math.ceil(wait));
  }
}

/** 0.5% of the interval (5 ms at 1 s, 300 ms at 1 min), at least 5 ms, at most 1 s. */
export function defaultMargin(intervalMs: number): number {
  return Math.min(1000, Math.max(5, Math.ceil(intervalMs * 0.005)));
}
