import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProvisioningError } from '../errors/provisioning-error.js';
import { isCoordination, type Coordination, type CoordinationSetting } from './coordination.js';

/** The package that implements the port on Redis; core never imports it statically (nor ioredis). */
export const REDIS_COORDINATION_PACKAGE = '@provisio/redis';

/**
 * Turns a coordination setting into a connected coordination: an object is used as it is;
 * `{ redis: url }` loads `@provisio/redis` (resolved like a plugin) and connects, so an
 * unreachable Redis fails here, as UNAVAILABLE, before any call to the cloud.
 */
export async function loadCoordination(setting: CoordinationSetting, resolveFrom: string | string[] = process.cwd()): Promise<Coordination> {
  if (isCoordination(setting)) return setting;
  const url = (setting as { redis?: unknown } | undefined)?.redis;
  if (typeof url !== 'string' || !/^rediss?:\/\//.test(url)) {
    throw new ProvisioningError({
      code: 'INVALID_INPUT',
      message: 'coordination.redis must be a redis:// or rediss:// URL (e.g. "${PROVISIO_REDIS_URL}")',
      field: 'coordination.redis',
      rule: 'format',
      retryable: false,
    });
  }
  const roots = Array.isArray(resolveFrom) ? resolveFrom : [resolveFrom];
  let href: string | undefined;
  for (const root of [...roots, import.meta.dirname]) {
    try {
      href = pathToFileURL(createRequire(join(root, '__provisio__.js')).resolve(REDIS_COORDINATION_PACKAGE)).href;
      break;
    } catch {
      /* next root */
    }
  }
  if (!href) {
    throw new ProvisioningError({
      code: 'INVALID_INPUT',
      message: `coordination.redis needs the package ${REDIS_COORDINATION_PACKAGE}: npm install ${REDIS_COORDINATION_PACKAGE}`,
      field: 'coordination.redis',
      rule: 'plugin',
      retryable: false,
    });
  }
  const mod = (await import(href)) as { connectRedisCoordination?: (options: { url: string; keyPrefix?: string }) => Promise<Coordination> };
  if (typeof mod.connectRedisCoordination !== 'function') {
    throw new ProvisioningError({ code: 'INTERNAL', message: `${REDIS_COORDINATION_PACKAGE} does not export connectRedisCoordination`, retryable: false });
  }
  return mod.connectRedisCoordination({ url, keyPrefix: (setting as { keyPrefix?: string }).keyPrefix });
}
