import { ProvisioningError } from '@provisio/core';

type RedisPackage = typeof import('@provisio/redis');

/**
 * Loads @provisio/redis (an optional peer of the CLI) for --queue and `worker` only: every
 * other command starts without BullMQ and ioredis. Missing, it is a clear INVALID_INPUT.
 */
export async function loadRedisPackage(): Promise<RedisPackage> {
  try {
    return await import('@provisio/redis');
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('@provisio/redis')) throw error;
    throw new ProvisioningError({
      code: 'INVALID_INPUT',
      message: '--queue and "provisio worker" need the package @provisio/redis: npm install @provisio/redis',
      field: 'queue',
      rule: 'plugin',
      retryable: false,
    });
  }
}
