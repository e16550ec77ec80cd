import { RateLimiter, type RateLimitOptions } from '../http/rate-limiter.js';
import type { Coordination, FlowLimiter, StoredToken, TokenStore } from './coordination.js';

/**
 * The embedded coordination: one limiter and one token per application inside this process
 * (two instances of one app share them). What a single process did before the port existed,
 * and all it needs: nothing to install, no I/O.
 */
export class InProcessCoordination implements Coordination {
  readonly kind = 'in-process';
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly stores = new Map<string, InProcessTokenStore>();

  flowLimiter(app: string, options: RateLimitOptions): FlowLimiter {
    let limiter = this.limiters.get(app);
    if (!limiter) {
      limiter = new RateLimiter(options);
      this.limiters.set(app, limiter);
    }
    // The app's budget is one: a second instance of it shares the first one's limiter (this
    // coordination closes it, not the HttpClient).
    return limiter;
  }

  tokenStore(app: string): TokenStore {
    let store = this.stores.get(app);
    if (!store) {
      store = new InProcessTokenStore();
      this.stores.set(app, store);
    }
    return store;
  }

  async close(): Promise<void> {
    for (const limiter of this.limiters.values()) limiter.close();
    this.limiters.clear();
    this.stores.clear();
  }
}

class InProcessTokenStore implements TokenStore {
  private token: StoredToken | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  async read(): Promise<StoredToken | undefined> {
    return this.token;
  }

  async write(token: StoredToken): Promise<void> {
    this.token = token;
  }

  /** A promise chain: each renewal starts when the previous one settled. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
