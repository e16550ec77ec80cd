// Small measuring helpers shared by the benchmarks.

/** Percentile of a sorted array of numbers. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Runs `call(i)` `count` times with `concurrency` in flight; returns ops/s, mean, p50, p99 (ms).
 * A warm-up of `warmup` calls runs first and is not counted.
 */
export async function measure(call, { count, concurrency = 1, warmup = 100 }) {
  let next = 0;
  const runPool = async (n, record) => {
    let i = 0;
    const worker = async () => {
      while (i < n) {
        const index = next++;
        i++;
        const started = performance.now();
        await call(index);
        record?.(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  await runPool(warmup);
  const latencies = [];
  const started = performance.now();
  await runPool(count, (ms) => latencies.push(ms));
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    opsPerSec: Math.round((count / elapsed) * 1000),
    meanMs: +(elapsed / count).toFixed(3),
    p50Ms: +percentile(latencies, 50).toFixed(3),
    p99Ms: +percentile(latencies, 99).toFixed(3),
  };
}

/** Median of `runs` timings of an async function (ms). */
export async function median(fn, runs = 5) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await fn());
  times.sort((a, b) => a - b);
  return +times[Math.floor(times.length / 2)].toFixed(1);
}

/** Operations per second of a synchronous function, over about `ms` milliseconds. */
export function throughput(fn, ms = 500) {
  for (let i = 0; i < 1000; i++) fn(i); // warm-up (JIT)
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < ms) {
    for (let i = 0; i < 200; i++) fn(n++);
  }
  return Math.round((n / (performance.now() - started)) * 1000);
}

export const ratio = (a, b) => +(a / b).toFixed(3);

/**
 * Compares two synchronous functions fairly on a noisy machine: alternates short timed rounds
 * of each and takes each one's median rate (op/s).
 */
export function compare(a, b, { rounds = 9, ms = 150 } = {}) {
  const rates = { a: [], b: [] };
  for (let r = 0; r < rounds; r++) {
    const [first, second] = r % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    rates[first].push(throughput(first === 'a' ? a : b, ms));
    rates[second].push(throughput(second === 'a' ? a : b, ms));
  }
  const mid = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return { a: mid(rates.a), b: mid(rates.b) };
}
