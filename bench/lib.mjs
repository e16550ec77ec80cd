// Small measuring helpers shared by the benchmarks.
import { fork } from 'node:child_process';

/** Percentile of a sorted array of numbers. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median and spread (min-max) of per-round ratios. */
export function summary(ratios) {
  return { median: +median(ratios).toFixed(3), min: +Math.min(...ratios).toFixed(3), max: +Math.max(...ratios).toFixed(3), rounds: ratios.length };
}

/** The contestants in the order of round `r`: rotated by one each round, so none is always first. */
export const rotated = (list, r) => list.map((_, i) => list[(i + r) % list.length]);

/**
 * Runs `call(i)` `count` times with `concurrency` in flight. Returns wall ms per call, this
 * process's CPU ms per call (user + system: the simulator runs in another process), p50/p99.
 */
export async function measure(call, { count, concurrency = 1 }) {
  let next = 0;
  const latencies = [];
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const started = performance.now();
      await call(index);
      latencies.push(performance.now() - started);
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return {
    msPerCall: elapsed / count,
    cpuMsPerCall: (used.user + used.system) / 1000 / count,
    opsPerSec: Math.round((count / elapsed) * 1000),
    p50Ms: +percentile(latencies, 50).toFixed(3),
    p99Ms: +percentile(latencies, 99).toFixed(3),
  };
}

/** Operations per second of a synchronous function, over about `ms` milliseconds. */
export function throughput(fn, ms = 200) {
  for (let i = 0; i < 2000; i++) fn(i); // warm-up (JIT)
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < ms) {
    for (let i = 0; i < 200; i++) fn(n++);
  }
  return (n / (performance.now() - started)) * 1000;
}

/**
 * Compares two synchronous functions on a noisy machine: `rounds` pairs of short timed runs,
 * the order alternating each round; returns the per-round ratios a/b (rate) and median rates.
 */
export function compare(a, b, { rounds = 9, ms = 200 } = {}) {
  const ratios = [];
  const rates = { a: [], b: [] };
  for (let r = 0; r < rounds; r++) {
    const pair = {};
    for (const which of rotated(['a', 'b'], r)) pair[which] = throughput(which === 'a' ? a : b, ms);
    rates.a.push(pair.a);
    rates.b.push(pair.b);
    ratios.push(pair.a / pair.b);
  }
  return { ratios, a: Math.round(median(rates.a)), b: Math.round(median(rates.b)) };
}

/** Starts bench/sim-process.mjs with the given simulators; resolves with their coordinates and controls. */
export function startSimulators(wanted) {
  const child = fork(new URL('./sim-process.mjs', import.meta.url), [JSON.stringify(wanted)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (info) => {
      resolve({
        ...info,
        stats: () =>
          new Promise((done) => {
            child.once('message', (m) => done(m.stats));
            child.send({ cmd: 'stats' });
          }),
        stop: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.disconnect();
          }),
      });
    });
  });
}
