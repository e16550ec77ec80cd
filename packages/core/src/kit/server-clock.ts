/**
 * The client's idea of the server's time, for signatures that carry a timestamp the server
 * checks against its own clock (Tencent TC3, AWS SigV4 both refuse a few minutes of skew).
 * On a "signature expired" answer the offset is corrected from the answer's `Date` header and
 * the request is signed again once (see RequestSigner).
 */
export class ServerClock {
  private offsetMs = 0;

  constructor(private readonly localNow: () => number = Date.now) {}

  /** Epoch ms as the server sees them. */
  nowMs(): number {
    return this.localNow() + this.offsetMs;
  }

  /** Unix seconds as the server sees them. */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  get offsetSeconds(): number {
    return Math.round(this.offsetMs / 1000);
  }

  /** Adopts the server's time from an HTTP `Date` header; false when there is none. */
  correctFrom(dateHeader: string | undefined): boolean {
    const serverMs = dateHeader ? Date.parse(dateHeader) : Number.NaN;
    if (Number.isNaN(serverMs)) return false;
    this.offsetMs = serverMs - this.localNow();
    return true;
  }
}
