/**
 * Server-side flow control for simulators: at most `limit` requests per key in any window of
 * `intervalMs` (how a platform counts "100 calls per minute per app").
 */
export class SlidingWindowCounter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records a request for `key`; false when it is over the limit (and is then not counted). */
  allow(key: string): boolean {
    const now = this.now();
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < this.intervalMs);
    if (list.length >= this.limit) {
      this.hits.set(key, list);
      return false;
    }
    list.push(now);
    this.hits.set(key, list);
    return true;
  }
}
