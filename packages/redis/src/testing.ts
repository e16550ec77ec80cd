// @provisio/redis/testing: a throwaway redis-server for tests and demos.
export * from './testing/redis-server.js';
