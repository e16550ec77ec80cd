import { createHash } from 'node:crypto';
import { ProvisioningError } from '@provisio/core';
import { parseKey, Sealer } from '../sealing.js';

/** The environment variable with the queue's AES-256-GCM key (32 bytes, base64 or hex): the same on the coordinator and every worker. */
export const QUEUE_KEY_ENV = 'PROVISIO_QUEUE_KEY';

/** One queue per instance: every coordinator and worker of that instance meets there. */
export function queueName(instance: string): string {
  return `provisio-bulk-${instance}`;
}

/**
 * The job id of a device: derived from the instance and the node id (hashed: BullMQ ids may not
 * hold ":"), so enqueuing a row again while its job exists adds nothing.
 */
export function jobId(instance: string, nodeId: string): string {
  return `d-${createHash('sha256').update(`${instance}\u0000${nodeId}`).digest('hex').slice(0, 40)}`;
}

/** The sealer for job rows and results, from PROVISIO_QUEUE_KEY; a clear error when it is missing or malformed. */
export function queueSealer(env: NodeJS.ProcessEnv = process.env): Sealer {
  const text = env[QUEUE_KEY_ENV];
  const key = text ? parseKey(text) : undefined;
  if (!key) {
    throw new ProvisioningError({
      code: 'INVALID_INPUT',
      message: `${QUEUE_KEY_ENV} must hold 32 random bytes, base64 or hex (e.g. export ${QUEUE_KEY_ENV}=$(openssl rand -base64 32)), the same for the coordinator and every worker: rows and credentials are encrypted with it in Redis`,
      field: QUEUE_KEY_ENV,
      rule: text ? 'format' : 'required',
      retryable: false,
    });
  }
  return Sealer.fromKey(key);
}
