// Distributed bulk throughput: `provisio bulk --queue` + 1, 2 and 4 `provisio worker` processes
// against one Tencent simulator (`provisio simulate`, another process) and a real redis-server.
// Baseline in the same run: the single-process `provisio bulk` on the same simulator.
// Usage: node bench/distributed-bulk.mjs [devices=600] [rounds=2] [rate=5000/1s]
// The rate is the simulator's flow control and the client limit alike: high by default, so that the
// figure shows what the processes can do, not the budget (at a real cloud's budget every
// configuration runs at the budget: the workers only add headroom and fail-over).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { RedisServerProcess, redisServerInstalled, REDIS_INSTALL_HINT } from '@provisio/redis/testing';

const BIN = new URL('../packages/cli/bin/provisio.js', import.meta.url).pathname;
const devices = Number(process.argv[2] ?? 600);
const rounds = Number(process.argv[3] ?? 2);
const rate = process.argv[4] ?? '5000/1s';
if (!redisServerInstalled()) {
  console.log(`skipped: ${REDIS_INSTALL_HINT}`);
  process.exit(0);
}

function run(dir, env, args) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env } });
  let stderr = '';
  let onReady;
  const ready = new Promise((r) => (onReady = r));
  child.stdout.resume();
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.includes('worker: ')) onReady();
  });
  return { child, ready, done: new Promise((r) => child.on('close', (code) => r({ code, stderr }))) };
}

const dir = mkdtempSync(join(tmpdir(), 'provisio-dbench-'));
const redis = await RedisServerProcess.start();
const sim = spawn(process.execPath, [BIN, 'simulate', '--write-config', 'provisio.config.json', '--json', '--rate-limit', rate], { cwd: dir });
const info = await new Promise((resolve) => {
  let buf = '';
  sim.stdout.on('data', (d) => {
    buf += d;
    const i = buf.indexOf('\n');
    if (i >= 0) resolve(JSON.parse(buf.slice(0, i)));
  });
});
const env = { ...info.env, PROVISIO_QUEUE_KEY: randomBytes(32).toString('base64') };

async function once(label, workers, round) {
  const input = `in-${label}-${round}.jsonl`;
  writeFileSync(join(dir, input), Array.from({ length: devices }, (_, i) => JSON.stringify({ nodeId: `b${label}r${round}n${i}` })).join('\n'));
  let started = performance.now();
  if (workers === 0) {
    const r = await run(dir, env, ['bulk', '-i', 'tencent', '--input', input, '--output', `out-${label}-${round}.jsonl`, '--concurrency', '16']).done;
    if (r.code !== 0) throw new Error(r.stderr);
  } else {
    const crew = Array.from({ length: workers }, () => run(dir, env, ['worker', '-i', 'tencent', '--queue', redis.url, '--concurrency', String(Math.ceil(16 / workers))]));
    // Workers are long-lived: their start-up is not part of a run (the coordinator's is, as the single process's).
    await Promise.all(crew.map((w) => w.ready));
    started = performance.now();
    const r = await run(dir, env, ['bulk', '-i', 'tencent', '--input', input, '--output', `out-${label}-${round}.jsonl`, '--queue', redis.url, '--journal', `j-${label}-${round}`]).done;
    for (const w of crew) w.child.kill('SIGTERM');
    await Promise.all(crew.map((w) => w.done));
    if (r.code !== 0) throw new Error(r.stderr);
  }
  return devices / ((performance.now() - started) / 1000);
}

const configs = [['single-process', 0], ['queue-1w', 1], ['queue-2w', 2], ['queue-4w', 4]];
const results = Object.fromEntries(configs.map(([l]) => [l, []]));
for (let round = 0; round < rounds; round++) {
  // Rounds interleaved: each configuration sees the same machine load over the run.
  for (const [label, workers] of configs) results[label].push(await once(label, workers, round));
}
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const base = mean(results['single-process']);
console.log(`distributed bulk, tencent simulator (flow control ${rate}), ${devices} devices x ${rounds} rounds, ${cpus().length} cores (workers, simulator, Redis and coordinator share them)`);
for (const [label] of configs) {
  const r = results[label];
  console.log(`  ${label.padEnd(15)} ${mean(r).toFixed(0).padStart(5)} devices/s (spread ${Math.min(...r).toFixed(0)}-${Math.max(...r).toFixed(0)})  x${(mean(r) / base).toFixed(2)} vs single-process`);
}
sim.kill('SIGTERM');
await redis.stop();
rmSync(dir, { recursive: true, force: true });
