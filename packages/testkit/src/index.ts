// @provisio/testkit: the conformance suite every provider runs, and its helpers.
export * from './harness.js';
export * from './plugin-harness.js';
export * from './suite.js';
export * from './report.js';
export * from './assertions.js';
export * from './fixtures.js';
export * from './coordination-suite.js';
export { PARALLEL_REGISTRATIONS } from './scenarios/concurrency.js';
export * from './device-tracker.js';
