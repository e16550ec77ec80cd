// provisio benchmarks: the framework beside hand-written baselines doing equal work, in the same
// run, rounds interleaved in rotated order; every ratio is the median of per-round ratios with
// its spread (min-max). The simulators run in their own process (bench/sim-process.mjs).
// Figures are measurements, not pass/fail: nothing here fails because a machine is slow, and
// `npm test` never runs this.
//
//   node bench/run.mjs [--quick] [--only=per-call,bulk,rss,flow,crypto,startup,tokens]
import { spawn, spawnSync } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Provisioner } from '@provisio/core';
import huawei from '@provisio/provider-huawei';
import tencent, { deviceSignature, openPayload, sealPayload, tc3Signature } from '@provisio/provider-tencent';
import { deviceSignatureDirect, huaweiClient, tc3Direct, tencentClient } from './baselines.mjs';
import { compare, measure, median, rotated, startSimulators, summary } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const wants = (section) => !only || only.includes(section);
const ROUNDS = quick ? 5 : 7;

const results = {
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, memGiB: +(totalmem() / 2 ** 30).toFixed(1), node: process.version },
  loadavgAtStart: loadavg().map((x) => +x.toFixed(2)),
  rows: [],
  figures: {},
};

/** One table row: the measured ratio (median of rounds) beside its target, and the spread. */
function row(section, name, measured, target, verdict, spread = '') {
  results.rows.push({ section, name, measured, target, verdict, spread });
  console.log(`${section.padEnd(10)} ${name.padEnd(58)} ${String(measured).padStart(10)}  ${String(target).padEnd(10)} ${verdict.padEnd(6)} ${spread}`);
}
const spreadOf = (s) => `[${s.min}–${s.max}] ${s.rounds} rounds`;
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const info = 'info';

// 1. Per-call overhead -------------------------------------------------------------------------
const KINDS = ['provisio', 'axios', 'node:http', 'undici'];

async function provisioClients(cloud, sim) {
  // rateLimit off in every client of this section: the simulators' flow control is off, and the
  // hand-written baselines have no limiter (flow control is measured in its own section).
  if (cloud === 'huawei') {
    const { url, appId, secret } = sim.huawei;
    const p = await Provisioner.create({ instances: { h: { plugin: huawei, config: { baseUrl: url, appId, secret, rateLimit: false } } } });
    const provider = p.get('h');
    return { register: (id) => provider.register({ nodeId: id, validitySeconds: 0 }), status: (id) => provider.status({ deviceId: id }), close: () => p.close() };
  }
  const { url, productId, productSecret, secretId, secretKey } = sim.tencent;
  // Two instances, as an application has them: register by dynamic registration (productSecret
  // only, one call), status through Cloud API 3.0 (keys only, one DescribeDevice).
  const p = await Provisioner.create({
    instances: {
      reg: { plugin: tencent, config: { productId, productSecret, gatewayUrl: url, rateLimit: false } },
      cloud: { plugin: tencent, config: { productId, cloudApi: { secretId, secretKey, endpoint: url }, rateLimit: false } },
    },
  });
  const reg = p.get('reg');
  const cloudApi = p.get('cloud');
  return { register: (id) => reg.register({ nodeId: id }), status: (id) => cloudApi.status({ deviceId: id }), close: () => p.close() };
}

async function perCall() {
  const out = {};
  let serial = 0;
  for (const cloud of ['huawei', 'tencent']) {
    const sim = await startSimulators({ [cloud]: {} });
    const clients = {};
    for (const [i, kind] of KINDS.entries()) {
      const huaweiApp = cloud === 'huawei' ? { ...sim.huawei, ...sim.huawei.apps[i] } : undefined;
      clients[kind] = kind === 'provisio' ? await provisioClients(cloud, { ...sim, huawei: huaweiApp }) : cloud === 'huawei' ? await huaweiClient(kind, huaweiApp) : tencentClient(kind, sim.tencent);
    }
    // Each client reads a device it registered itself (a Huawei device belongs to one app).
    const target = {};
    for (const kind of KINDS) target[kind] = (await clients[kind].register(`status-target-${kind.replace(':', '-')}`)).deviceId;
    for (const op of ['register', 'status']) {
      for (const concurrency of [1, 32]) {
        const label = `${cloud} ${op} ${concurrency === 1 ? 'sequential' : `${concurrency} in flight`}`;
        const count = (quick ? 0.5 : 1) * (concurrency === 1 ? 600 : 1500);
        const call = (kind) => (op === 'register' ? () => clients[kind].register(`b${serial++}`) : () => clients[kind].status(target[kind]));
        for (const kind of KINDS) await measure(call(kind), { count: 300, concurrency }); // warm-up (JIT, sockets)
        const runs = Object.fromEntries(KINDS.map((k) => [k, []]));
        for (let r = 0; r < ROUNDS; r++) {
          for (const kind of rotated(KINDS, r)) runs[kind].push(await measure(call(kind), { count, concurrency }));
        }
        const per = (kind, field) => runs[kind].map((m, r) => m[field] / runs.axios[r][field]);
        const wall = summary(per('provisio', 'msPerCall'));
        const cpu = summary(per('provisio', 'cpuMsPerCall'));
        const floors = { 'node:http': summary(per('node:http', 'msPerCall')), undici: summary(per('undici', 'msPerCall')) };
        const abs = Object.fromEntries(KINDS.map((k) => [k, { usPerCall: Math.round(median(runs[k].map((m) => m.msPerCall)) * 1000), cpuUsPerCall: Math.round(median(runs[k].map((m) => m.cpuMsPerCall)) * 1000) }]));
        row('per-call', `${label}: provisio/axios wall`, `${wall.median}x`, '<= 1.05x', verdict(wall.median <= 1.05), spreadOf(wall));
        row('per-call', `${label}: provisio/axios CPU`, `${cpu.median}x`, '<= 1.05x', verdict(cpu.median <= 1.05), spreadOf(cpu));
        row('per-call', `${label}: node:http/axios wall (floor)`, `${floors['node:http'].median}x`, '-', info, spreadOf(floors['node:http']));
        row('per-call', `${label}: undici/axios wall (floor)`, `${floors.undici.median}x`, '-', info, spreadOf(floors.undici));
        row('per-call', `${label}: µs/call wall (CPU) p/ax/http/undici`, '', '-', info, KINDS.map((k) => `${abs[k].usPerCall}(${abs[k].cpuUsPerCall})`).join(' / '));
        out[label] = { wall, cpu, floors, abs };
      }
    }
    for (const kind of KINDS) await clients[kind].close();
    await sim.stop();
  }
  results.figures.perCall = out;
}

// 2. Bulk throughput and 3. peak RSS ---------------------------------------------------------
function runChild(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`bulk child exited ${code}`))));
  });
}

async function bulkRun(mode, devices, tag, concurrency = 16) {
  const sim = await startSimulators({ huawei: {} });
  const dir = mkdtempSync(join(tmpdir(), 'provisio-bench-'));
  const input = join(dir, 'devices.jsonl');
  writeFileSync(input, `${Array.from({ length: devices }, (_, i) => JSON.stringify({ nodeId: `${tag}-${i}` })).join('\n')}\n`);
  try {
    return await runChild([join(here, 'bulk-child.mjs'), mode, input, join(dir, 'out.jsonl'), JSON.stringify(sim.huawei), String(concurrency)]);
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bulk() {
  const modes = ['provisio', 'raw-durable', 'raw'];
  const devices = quick ? 2000 : 10_000;
  const runs = Object.fromEntries(modes.map((m) => [m, []]));
  for (let r = 0; r < (quick ? 3 : 5); r++) {
    for (const mode of rotated(modes, r)) runs[mode].push(await bulkRun(mode, devices, `r${r}`));
  }
  const per = (base) => runs.provisio.map((m, r) => m.devicesPerSec / runs[base][r].devicesPerSec);
  const durable = summary(per('raw-durable'));
  const plain = summary(per('raw'));
  const rates = modes.map((m) => `${m} ${Math.round(median(runs[m].map((x) => x.devicesPerSec)))}`).join(', ');
  row('bulk', `${devices} devices, 16 in flight: provisio/raw durable dev/s`, `${durable.median}x`, '>= 1.0x', verdict(durable.median >= 1.0), spreadOf(durable));
  row('bulk', `${devices} devices, 16 in flight: provisio/raw plain dev/s`, `${plain.median}x`, '>= 0.9x', verdict(plain.median >= 0.9), spreadOf(plain));
  row('bulk', 'devices/s (median)', '', '-', info, rates);
  results.figures.bulk = { devices, runs, durable, plain };
}

async function rss() {
  const sizes = quick ? [2000, 10_000] : [10_000, 50_000, 100_000];
  const figures = {};
  for (const n of sizes) figures[n] = await bulkRun('provisio', n, `rss${n}`);
  const peaks = sizes.map((n) => figures[n].maxRssMB);
  const growth = peaks[peaks.length - 1] - peaks[0];
  row('rss', `provisio bulk peak RSS ${sizes.map((n) => `${n / 1000}k`).join('/')}`, peaks.join('/') + ' MB', '< 150 MB, flat', verdict(Math.max(...peaks) < 150 && growth <= 10), `growth ${growth} MB; ${sizes.map((n) => `${figures[n].devicesPerSec} dev/s`).join(', ')}`);
  results.figures.rss = figures;
}

// 4. Flow-control use -------------------------------------------------------------------------
async function flowRun({ limit, intervalMs, devices, concurrency = 16 }) {
  const rate = { limit, intervalMs };
  const sim = await startSimulators({ huawei: { flowControl: rate } });
  const { url, appId, secret } = sim.huawei;
  const p = await Provisioner.create({ instances: { h: { plugin: huawei, config: { baseUrl: url, appId, secret, rateLimit: rate } } } });
  const provider = p.get('h');
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < devices) await provider.register({ nodeId: `fc-${next++}` });
    }),
  );
  const elapsed = performance.now() - started;
  const stats = (await sim.stats()).huawei;
  await p.close();
  await sim.stop();
  // The budget lets call n (0-based, the login included) start at floor(n / limit) intervals at
  // the earliest: the ideal run ends when the last call may start. Measured to the last call's
  // answer, so one call's latency counts against us.
  const ideal = Math.floor((stats.requests - 1) / limit) * intervalMs;
  return { use: ideal / elapsed, calls: stats.requests, throttled: stats.throttled, elapsedMs: Math.round(elapsed), idealMs: ideal };
}

async function flow() {
  const fast = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) fast.push(await flowRun({ limit: 20, intervalMs: 1000, devices: 300 }));
  const use = summary(fast.map((f) => f.use * 100));
  const throttles = fast.reduce((s, f) => s + f.throttled, 0);
  row('flow', 'Huawei 20/s both sides, 300 devices: budget used %', `${use.median}%`, '>= 98%, 0', verdict(use.median >= 98 && throttles === 0), `${spreadOf(use).replace('rounds', 'runs')}; throttles ${throttles}`);
  // The real 100 calls/min, unscaled: 150 registrations + the login = one full minute of budget.
  const slow = quick ? undefined : await flowRun({ limit: 100, intervalMs: 60_000, devices: 150 });
  if (slow) row('flow', 'Huawei 100/min both sides, 150 devices: budget used %', `${(slow.use * 100).toFixed(2)}%`, '>= 98%, 0', verdict(slow.use >= 0.98 && slow.throttled === 0), `1 run, ${slow.elapsedMs} ms for ideal ${slow.idealMs} ms; throttles ${slow.throttled}`);
  results.figures.flow = { fast, slow };
}

// 5. Token contention -------------------------------------------------------------------------
async function tokens() {
  const sim = await startSimulators({ huawei: {} });
  const { url, appId, secret } = sim.huawei;
  const p = await Provisioner.create({ instances: { h: { plugin: huawei, config: { baseUrl: url, appId, secret, rateLimit: false } } } });
  await Promise.all(Array.from({ length: 1000 }, (_, i) => p.get('h').register({ nodeId: `cold-${i}` })));
  const logins = (await sim.stats()).huawei.logins;
  row('tokens', '1,000 concurrent calls on a cold instance: logins', logins, '1', verdict(logins === 1));
  await p.close();
  await sim.stop();
}

// 6. Crypto -----------------------------------------------------------------------------------
function crypto() {
  const body = '{"ProductId":"PRODUCT_ID1","DeviceName":"DEVICENAME1"}';
  const secret = 'PRODUCT_SECRETKEY';
  const host = 'ap-guangzhou.gateway.tencentdevices.com';
  // A timestamp that moves (as in use), so neither side can cache a date or a derived key.
  const ts = (i) => 1629362589 + i * 3;
  const { payload, length } = sealPayload('{"encryptionType":2,"psk":"lDZ6Uqt+I9E0wW7rvDUs7Q=="}', 'hzvf5LF9S0isvBhDSauWMaIk');
  const IV = Buffer.from('0000000000000000'); // a constant, as in provisio's payload-cipher
  const directDecrypt = () => {
    const key = Buffer.from('hzvf5LF9S0isvBhDSauWMaIk', 'utf8').subarray(0, 16);
    const d = createDecipheriv('aes-128-cbc', key, IV);
    d.setAutoPadding(false);
    const plain = Buffer.concat([d.update(Buffer.from(payload, 'base64')), d.final()]);
    for (let i = length; i < plain.length; i++) if (plain[i] !== 0) throw new Error('padding');
    return plain.subarray(0, length);
  };
  const pairs = [
    ['device registration signature', (i) => deviceSignature({ algorithm: 'hmacsha256', host, path: '/device/register', timestamp: ts(i), nonce: 333464802 + i, body, secret }), (i) => deviceSignatureDirect({ host, timestamp: ts(i), nonce: 333464802 + i, body, secret })],
    [
      'TC3-HMAC-SHA256 signature',
      (i) => tc3Signature({ secretId: 'AKID', secretKey: 'secret-key', service: 'iotexplorer', host: 'iotexplorer.tencentcloudapi.com', method: 'POST', contentType: 'application/json; charset=utf-8', payload: body, timestamp: ts(i) }),
      (i) => tc3Direct({ secretKey: 'secret-key', service: 'iotexplorer', host: 'iotexplorer.tencentcloudapi.com', contentType: 'application/json; charset=utf-8', payload: body, timestamp: ts(i) }).signature,
    ],
    ['payload decryption', () => openPayload(payload, length, 'hzvf5LF9S0isvBhDSauWMaIk'), directDecrypt],
  ];
  // Same answers first: equal work, not just similar work.
  if (pairs[0][1](5) !== pairs[0][2](5) || pairs[1][1](5) !== pairs[1][2](5) || !pairs[2][1]().equals(pairs[2][2]())) throw new Error('crypto baselines disagree with provisio');
  const out = {};
  for (const [name, ours, theirs] of pairs) {
    const { ratios, a, b } = compare(ours, theirs, { rounds: quick ? 5 : 9 });
    const s = summary(ratios);
    out[name] = { provisio: a, direct: b, ...s };
    row('crypto', `${name}: provisio/node:crypto op/s`, `${s.median}x`, '>= 0.95x', verdict(s.median >= 0.95), `${spreadOf(s)}; ${a} vs ${b} op/s`);
  }
  results.figures.crypto = out;
}

// 7. Start-up ---------------------------------------------------------------------------------
function startup() {
  const wall = (args) => {
    const started = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    return performance.now() - started;
  };
  const cases = {
    bare: ['-e', '0'],
    help: [join(root, 'packages', 'cli', 'bin', 'provisio.js'), '--help'],
    core: ['-e', "import('@provisio/core')"],
  };
  const names = Object.keys(cases);
  for (const n of names) wall(cases[n]); // warm the file cache
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < (quick ? 5 : 11); r++) for (const n of rotated(names, r)) times[n].push(wall(cases[n]));
  const minus = (n) => summary(times[n].map((t, r) => t - times.bare[r]));
  const help = minus('help');
  const core = minus('core');
  const bare = Math.round(median(times.bare));
  row('start-up', 'provisio --help, whole process minus node -e 0', `${Math.round(help.median)} ms`, '< 60 ms', verdict(help.median < 60), `[${Math.round(help.min)}–${Math.round(help.max)}] ${help.rounds} rounds; node -e 0 ${bare} ms`);
  row('start-up', "import('@provisio/core'), whole process minus node -e 0", `${Math.round(core.median)} ms`, '< 40 ms', verdict(core.median < 40), `[${Math.round(core.min)}–${Math.round(core.max)}] ${core.rounds} rounds`);
  results.figures.startup = { help, core, bareMs: bare };
}

console.log(`provisio benchmarks on ${results.machine.cpu} (${results.machine.cores} cores), Node ${results.machine.node}; load ${results.loadavgAtStart.join(' ')}${quick ? ' [quick]' : ''}\n`);
console.log(`${'section'.padEnd(10)} ${'metric'.padEnd(58)} ${'measured'.padStart(10)}  ${'target'.padEnd(10)} ${'result'.padEnd(6)} spread`);
if (wants('per-call')) await perCall();
if (wants('bulk')) await bulk();
if (wants('rss')) await rss();
if (wants('flow')) await flow();
if (wants('tokens')) await tokens();
if (wants('crypto')) crypto();
if (wants('startup')) startup();
results.loadavgAtEnd = loadavg().map((x) => +x.toFixed(2));
console.log(`\nload average at start ${results.loadavgAtStart.join(' ')}, at end ${results.loadavgAtEnd.join(' ')}`);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('Written to bench/results/latest.json');
void readFileSync;
