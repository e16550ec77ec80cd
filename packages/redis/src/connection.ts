import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { ProvisioningError } from '@provisio/core';

/** The Redis password can come from the environment instead of the URL (a URL on a command line shows in `ps`). */
export const REDIS_PASSWORD_ENV = 'PROVISIO_REDIS_PASSWORD';
/** For `rediss://` to a server whose certificate a private CA signed: that CA's PEM file (verification stays on). */
export const REDIS_CA_ENV = 'PROVISIO_REDIS_CA';

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
    tls: parsed.protocol === 'rediss:' ? tlsOptions(parsed.hostname, env) : undefined,
    connectTimeout: 5000,
    maxRetriesPerRequest: 2,
    lazyConnect: true,
  };
}

/** TLS for `rediss://`: the certificate is verified (against PROVISIO_REDIS_CA when set), never skipped. */
function tlsOptions(hostname: string, env: NodeJS.ProcessEnv): NonNullable<RedisOptions['tls']> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const caFile = env[REDIS_CA_ENV];
  return {
    // SNI takes host names only (RFC 6066); an IP is still checked against the certificate.
    ...(isIP(host) ? {} : { servername: host }),
    ...(caFile ? { ca: readFileSync(caFile) } : {}),
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
  const detail = (cause instanceof Error ? cause.message : String(cause)).replace(/\.+$/, '');
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
    // "Connection is closed" says less than the error that closed it (refused, TLS trust, …).
    throw redisUnavailable(url, purpose, lastError ?? error);
  }
  return client;
}
