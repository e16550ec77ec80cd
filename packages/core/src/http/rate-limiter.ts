/**
 * Client-side rate limiter: at most `limit` calls in any window of `intervalMs`.
 *
 * A token bucket of `limit` tokens in which a spent token comes back exactly one interval
 * (plus a small margin) after it was spent. A classic continuously-refilling bucket would let
 * `2 × limit` calls through in the first interval, which is precisely what a server counting
 * "100 calls per minute" (Huawei) throttles. The margin absorbs the jitter between the moment
 * a token is taken and the moment the server counts the request; callers take their token
 * right before sending (everything slow, such as a login or loading the HTTP library, happens
 * first), so that jitter is a few milliseconds and a 1% margin keeps the budget used at ~99%.
 *
 * The timer is deliberately NOT unref()'d: while a call waits for a token, that wait is the
 * program's pending work and must keep the process alive (an unref()'d timer let a bulk run
 * exit silently mid-way, code 13, when every worker was waiting). It exists only while callers
 * wait, so an idle limiter never holds the event loop open.
 */
export interface RateLimitOptions {
  /** Calls allowed per interval. */
  limit: number;
  /** Interval length in milliseconds. */
  intervalMs: number;
  /** Extra wait before a token returns; default 1% of the interval, at least 10 ms, at most 2 s. */
  marginMs?: number;
}

export class RateLimiter {
  readonly limit: number;
  readonly intervalMs: number;
  private readonly marginMs: number;
  /** When each of the last `limit` tokens was spent (a ring; the oldest is at `head`). */
  private readonly spentAt: number[] = [];
  private head = 0;
  private readonly waiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private granted = 0;

  constructor(options: RateLimitOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError('rate limit must be an integer >= 1');
    if (!(options.intervalMs > 0)) throw new RangeError('rate limit interval must be > 0');
    this.limit = options.limit;
    this.intervalMs = options.intervalMs;
    this.marginMs = options.marginMs ?? defaultMargin(options.intervalMs);
  }

  /** Resolves when the call may go; callers are served first come, first served. */
  acquire(): Promise<void> {
    if (this.waiters.length === 0 && this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      this.schedule();
    });
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.waiters.length) this.waiters.shift()?.();
  }

  private tryTake(): boolean {
    const now = performance.now();
    if (this.spentAt.length < this.limit) {
      this.spentAt.push(now);
      this.granted++;
      return true;
    }
    const oldest = this.spentAt[this.head] as number;
    if (now - oldest < this.intervalMs + this.marginMs) return false;
    this.spentAt[this.head] = now;
    this.head = (this.head + 1) % this.limit;
    this.granted++;
    return true;
  }

  private schedule(): void {
    if (this.timer || this.waiters.length === 0) return;
    const oldest = this.spentAt.length < this.limit ? 0 : (this.spentAt[this.head] as number);
    const wait = Math.max(0, oldest + this.intervalMs + this.marginMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      while (this.waiters.length > 0 && this.tryTake()) this.waiters.shift()?.();
      this.schedule();
    }, Math.ceil(wait));
  }
}

/** 1% of the interval (10 ms at 1 s, 600 ms at 1 min), at least 10 ms, at most 2 s. */
export function defaultMargin(intervalMs: number): number {
  return Math.min(2000, Math.max(10, Math.ceil(intervalMs * 0.01)));
}
