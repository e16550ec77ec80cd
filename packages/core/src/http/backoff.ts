/** Retry policy: exponential backoff with full jitter (AWS architecture blog's "Full Jitter"). */
export interface RetryOptions {
  /** Total attempts including the first; 1 disables retries. Default 3. */
  maxAttempts?: number;
  /** First backoff ceiling in ms. Default 100. */
  baseDelayMs?: number;
  /** Largest backoff in ms (the client's own backoff; a server's Retry-After may ask for longer). Default 5000. */
  maxDelayMs?: number;
  /**
   * Longest Retry-After the client waits for, in ms. A throttle asking for longer fails at once
   * (RATE_LIMITED, the wait asked for in `details.retryAfterMs`) instead of blocking the caller.
   * Default 60 000.
   */
  maxRetryAfterMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000, maxRetryAfterMs: 60_000 };

/**
 * Delay before attempt `attempt + 1`. A server's Retry-After (ms) is a floor, honoured in full:
 * the caller checks it against `maxRetryAfterMs` first (retrying sooner only earns another throttle).
 */
export function backoffDelay(
  attempt: number,
  options: Required<RetryOptions>,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
