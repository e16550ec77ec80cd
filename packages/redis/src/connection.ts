import { Redis, type RedisOptions } from 'ioredis';
import { ProvisioningError } from '@provisio/core';

/** The Redis password can come from the environment instead of the URL (a URL on a command line shows in `ps`). */
export const REDIS_PASSWORD_ENV = 'PROVISIO_REDIS_PASSWORD';

/**
 * ioredis options for a `redis://` or `rediss://` URL (TLS, verified, for `rediss://`), with the
 * password from PROVISIO_REDIS_PASSWORD when the URL has none. Commands fail after a couple of
 * reconnection attempts instead of queueing forever: an unreachable Redis is an error, never a wait.
 */
export function redisOptions(url: string, env: NodeJS.ProcessEnv = process.env): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidUrl(url);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw invalidUrl(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : env[REDIS_PASSWORD_ENV] || undefined,
    db: db ? Number(db) : 0,
    tls: parsed.protocol === 'rediss:' ? { servername: parsed.hostname } : undefined,
    connectTimeout: 5000,
    maxRetriesPerRequest: 2,
    lazyConnect: true,
  };
}

/** Where a URL points, without its password: for messages. */
export function describeRedis(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.length > 1 ? u.pathname : ''}`;
  } catch {
    return '(invalid Redis URL)';
  }
}

function invalidUrl(url: string): ProvisioningError {
  return new ProvisioningError({
    code: 'INVALID_INPUT',
    message: `${describeRedis(url)} is not a redis:// or rediss:// URL`,
    field: 'coordination.redis',
    rule: 'format',
    retryable: false,
  });
}

/** The typed error for a Redis that does not answer: it says what is unreachable and what depends on it. */
export function redisUnavailable(url: string, purpose: string, cause: unknown): ProvisioningError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ProvisioningError({
    code: 'UNAVAILABLE',
    message: `Redis at ${describeRedis(url)} is unreachable (${purpose}): ${detail}. Start Redis or fix the URL; provisio does not fall back to per-process limits`,
    vendorCode: (cause as { code?: string })?.code,
    retryable: true,
  });
}

/** Connects and pings; an unreachable or refusing Redis is UNAVAILABLE (a wrong password is AUTHENTICATION_FAILED). */
export async function connectRedis(url: string, purpose: string, extra: RedisOptions = {}): Promise<Redis> {
  const client = new Redis({ ...redisOptions(url), ...extra });
  // Errors are reported through the commands that fail; without a listener ioredis prints them.
  let lastError: unknown;
  client.on('error', (error: unknown) => {
    lastError = error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    // A refused password closes the connection: the reason is in the error event, not the rejection.
    const message = [error, lastError].map((e) => (e instanceof Error ? e.message : String(e ?? ''))).join(' ');
    if (/NOAUTH|WRONGPASS|invalid password/i.test(message)) {
      throw new ProvisioningError({
        code: 'AUTHENTICATION_FAILED',
        message: `Redis at ${describeRedis(url)} refused the password (${purpose}); set it in the URL or in ${REDIS_PASSWORD_ENV}`,
        retryable: false,
      });
    }
    throw redisUnavailable(url, purpose, error);
  }
  return client;
}
