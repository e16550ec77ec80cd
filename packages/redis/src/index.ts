// The public API of @provisio/redis: the coordination port on Redis, and distributed bulk on BullMQ.
export * from './connection.js';
export * from './sealing.js';
export * from './redis-flow-limiter.js';
export * from './redis-token-store.js';
export * from './redis-coordination.js';
export * from './bulk/queue-names.js';
export * from './bulk/bulk-queue.js';
export * from './bulk/bulk-worker.js';
