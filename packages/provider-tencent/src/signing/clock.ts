/**
 * The client's idea of the server's time. Both Tencent faces reject timestamps more than five
 * minutes off; on `AuthFailure.SignatureExpire` the offset is corrected from the answer's
 * `Date` header and the request is signed again once.
 */
export class ServerClock {
  private offsetMs = 0;

  constructor(private readonly localNow: () => number = Date.now) {}

  /** Unix seconds as the server sees them. */
  nowSeconds(): number {
    return Math.floor((this.localNow() + this.offsetMs) / 1000);
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
