import type { Redis } from 'ioredis';
import { Redlock } from '@sesamecare-oss/redlock';
import type { ProvisioningError, StoredToken, TokenStore } from '@provisio/core';
import type { Sealer } from './sealing.js';

/**
 * The application's token in Redis (sealed when the app's secret is known: whoever reads Redis
 * without it learns nothing), expiring with the token. Renewal is single-flight across all
 * processes through a Redlock lock, extended automatically while a slow login runs; a holder
 * killed mid-login frees it when its lease runs out.
 */
export class RedisTokenStore implements TokenStore {
  /** Never the connection (its password) nor the token. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RedisTokenStore { key: '${this.key}' }`;
  }

  toJSON(): string {
    return `RedisTokenStore { key: '${this.key}' }`;
  }

  constructor(
    private readonly redis: Redis,
    private readonly redlock: Redlock,
    private readonly key: string,
    private readonly sealer: Sealer | undefined,
    private readonly unavailable: (error: unknown) => ProvisioningError,
  ) {}

  async read(): Promise<StoredToken | undefined> {
    let text: string | null;
    try {
      text = await this.redis.get(this.key);
    } catch (error) {
      throw this.unavailable(error);
    }
    if (!text) return undefined;
    try {
      return JSON.parse(this.sealer ? this.sealer.open(text) : text) as StoredToken;
    } catch {
      // Sealed by a holder with another secret (a changed app secret): as good as no token.
      return undefined;
    }
  }

  async write(token: StoredToken): Promise<void> {
    const ttl = Math.max(1, Math.floor(token.expiresAt - Date.now()));
    const text = JSON.stringify(token);
    try {
      await this.redis.set(this.key, this.sealer ? this.sealer.seal(text) : text, 'PX', ttl);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    let failure: unknown;
    try {
      return await this.redlock.using([`${this.key}:lock`], 10_000, async () => {
        try {
          return await work();
        } catch (error) {
          failure = error;
          throw error;
        }
      });
    } catch (error) {
      if (failure !== undefined) throw failure;
      // The lock itself failed: Redis is gone (or another holder held it for too long).
      throw this.unavailable(error);
    }
  }
}
