import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { defaultMargin, type FlowLimiter, type ProvisioningError, type RateLimitOptions, type ReleaseSlot } from '@provisio/core';

/**
 * Takes a slot when fewer than `limit` are held or cooling down; else answers how long until the
 * earliest one comes back. One sorted set per application: member = slot, score = the moment
 * from which its call counts (Redis's clock, the one clock every process shares). A slot in
 * flight is scored `now + lease`: a process killed mid-call loses its slots for one lease only.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cool = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - cool)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + cool + 1000)
  return -1
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(first[2]) + cool - now
`;

/** The call is over: its slot counts from now (Redis's clock); gone already if its lease ran out. */
const SPEND = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
return 0
`;

export interface RedisFlowLimiterOptions extends RateLimitOptions {
  /** How long a slot of a call in flight is held if its process dies. Default 15 s (> the 10 s call timeout). */
  leaseMs?: number;
}

/**
 * The flow-control budget of one application shared by every process: never more than `limit`
 * calls in any `intervalMs`, counted as `RateLimiter` counts them (a slot comes back one interval
 * after its call *finished*, plus a margin; `release(false)` hands it back unused).
 *
 * Why a Lua script and not a library: rate-limiter-flexible counts fixed windows from the grant
 * (2 × limit can pass around a window edge, which a sliding-window server throttles) and BullMQ's
 * limiter counts jobs, not HTTP calls; neither counts a slot from the call's end nor lets a slot
 * go back unused, which the single-flight login needs (see HttpClient's AuthStep.isReady).
 *
 * In this process, waiters queue first come first served and only the first asks Redis.
 */
export class RedisFlowLimiter implements FlowLimiter {
  private readonly waiters: Array<{ resolve: (release: ReleaseSlot) => void; reject: (error: unknown) => void }> = [];
  private pumping = false;
  private closed = false;
  private readonly coolMs: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  /** Slots taken by this process (for figures). */
  granted = 0;

  /** Never the connection (its password) nor the token. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RedisFlowLimiter { key: '${this.key}', limit: ${this.options.limit} }`;
  }

  toJSON(): string {
    return `RedisFlowLimiter { key: '${this.key}', limit: ${this.options.limit} }`;
  }

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly options: RedisFlowLimiterOptions,
    private readonly unavailable: (error: unknown) => ProvisioningError,
  ) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError('rate limit must be an integer >= 1');
    this.coolMs = options.intervalMs + (options.marginMs ?? defaultMargin(options.intervalMs));
    this.leaseMs = options.leaseMs ?? 15_000;
    // When every slot is in flight nobody knows when one comes back: ask again this often.
    this.pollMs = Math.min(100, Math.max(5, Math.floor(options.intervalMs / options.limit)));
  }

  acquireSlot(): Promise<ReleaseSlot> {
    if (this.closed) return Promise.resolve(() => undefined);
    return new Promise<ReleaseSlot>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      void this.pump();
    });
  }

  close(): void {
    this.closed = true;
    while (this.waiters.length) this.waiters.shift()?.resolve(() => undefined);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.length > 0 && !this.closed) {
        const member = randomUUID();
        let wait: number;
        try {
          wait = Number(await this.redis.eval(TAKE, 1, this.key, this.options.limit, this.coolMs, this.leaseMs, member));
        } catch (error) {
          // Never a silent fall back to per-process limits: every waiter learns Redis is gone.
          const failure = this.unavailable(error);
          while (this.waiters.length) this.waiters.shift()?.reject(failure);
          return;
        }
        if (wait < 0) {
          this.granted++;
          this.waiters.shift()?.resolve(this.releaser(member));
          continue;
        }
        await new Promise((r) => setTimeout(r, Math.max(1, Math.min(wait, this.pollMs))));
      }
    } finally {
      this.pumping = false;
    }
  }

  private releaser(member: string): ReleaseSlot {
    let released = false;
    return (used = true) => {
      if (released) return;
      released = true;
      // A failed release costs at most one lease of this slot; the call's outcome matters more.
      const done = used ? this.redis.eval(SPEND, 1, this.key, member) : this.redis.zrem(this.key, member);
      done.catch(() => undefined);
      if (!used) {
        this.granted--;
        void this.pump();
      }
    };
  }
}
