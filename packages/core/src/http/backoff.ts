/** Retry policy: exponential backoff with full jitter (AWS architecture blog's "Full Jitter"). */
export interface RetryOptions {
  /** Total attempts including the first; 1 disables retries. Default 3. */
  maxAttempts?: number;
  /** First backoff ceiling in ms. Default 100. */
  baseDelayMs?: number;
  /** Largest backoff in ms. Default 5000. */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000 };

/** Delay before attempt `attempt + 1`; a server's Retry-After (ms) is a floor. */
export function backoffDelay(
  attempt: number,
  options: Required<RetryOptions>,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, options.maxDelayMs));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
