// provisio benchmarks: the framework beside hand-written baselines, in the same run, against the
// same simulators on 127.0.0.1. Prints a table and writes bench/results/latest.json.
// Figures are measurements, not pass/fail: nothing here fails because a machine is slow.
import { execFileSync, spawn } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Provisioner } from '@provisio/core';
import huawei, { HuaweiSimulator } from '@provisio/provider-huawei';
import { deviceSignature, openPayload, sealPayload, tc3Signature } from '@provisio/provider-tencent';
import { axiosClient, nodeHttpClient, rawLogin } from './raw-huawei.mjs';
import { compare, measure, median, percentile, ratio } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const results = { machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version }, goals: {}, figures: {} };
const rows = [];
const row = (section, name, value, note = '') => {
  rows.push({ section, name, value, note });
  console.log(`${section.padEnd(12)} ${name.padEnd(52)} ${String(value).padStart(12)}  ${note}`);
};

function runChild(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', () => resolve(stdout));
  });
}

async function startHuawei() {
  // Flow control and client limit off, in the simulator and the client alike: these figures compare
  // per-call overhead with hand-written clients; with limits on, both would measure the limit.
  const simulator = await HuaweiSimulator.start({ flowControl: false });
  const app = simulator.apps[0];
  return { simulator, app, config: { baseUrl: simulator.url, appId: app.appId, secret: app.secret, rateLimit: false } };
}

// 1. Per-call overhead ---------------------------------------------------------------
/** A client of one kind on a fresh simulator (so every client sees the same device count). */
async function perCallClient(kind) {
  const { simulator, app, config } = await startHuawei();
  if (kind === 'provisio') {
    const provisioner = await Provisioner.create({ instances: { h: { plugin: huawei, config } } });
    const provider = provisioner.get('h');
    const device = (await provider.register({ nodeId: 'status-target', validitySeconds: 0 })).deviceId;
    return {
      register: (id) => provider.register({ nodeId: id, validitySeconds: 0 }),
      status: () => provider.status({ deviceId: device }),
      close: async () => {
        await provisioner.close();
        await simulator.stop();
      },
    };
  }
  const token = await rawLogin(simulator.url, app.appId, app.secret);
  const client = kind === 'axios' ? axiosClient(simulator.url, app.appId, token) : nodeHttpClient(simulator.url, app.appId, token);
  const device = (await client.register('status-target')).deviceId;
  return { register: (id) => client.register(id), status: () => client.status(device), close: () => simulator.stop() };
}

async function perCall() {
  const count = quick ? 500 : 2000;
  const out = {};
  for (const concurrency of [1, 32]) {
    const label = concurrency === 1 ? 'sequential' : `concurrency ${concurrency}`;
    for (const op of ['register', 'status']) {
      // Three interleaved rounds on fresh simulators; each client's round with the median time per call counts.
      const runs = { provisio: [], axios: [], 'node:http': [] };
      for (let round = 0; round < 3; round++) {
        for (const kind of Object.keys(runs)) {
          const client = await perCallClient(kind);
          runs[kind].push(await measure((i) => client[op](`${op}-${i}`), { count, concurrency, warmup: 300 }));
          await client.close();
        }
      }
      const figures = {};
      for (const [kind, list] of Object.entries(runs)) {
        figures[kind] = list.sort((x, y) => x.meanMs - y.meanMs)[1];
        row('per-call', `${op} ${label}: ${kind}`, `${figures[kind].opsPerSec} op/s`, `p50 ${figures[kind].p50Ms} ms, p99 ${figures[kind].p99Ms} ms`);
      }
      const r = ratio(figures.provisio.meanMs, figures.axios.meanMs);
      row('per-call', `${op} ${label}: provisio / axios time per call`, `${r}x`, r <= 1.1 ? 'goal <= 1.10x met' : 'goal <= 1.10x MISSED');
      out[`${op} ${label}`] = { ...figures, ratioVsAxios: r };
    }
  }
  results.figures.perCall = out;
}

// 2. Bulk ------------------------------------------------------------------------------
async function bulk() {
  const out = {};
  const concurrency = 16;
  for (const devices of quick ? [2000] : [10_000, 50_000]) {
    for (const mode of devices === 10_000 || quick ? ['raw', 'provisio'] : ['provisio']) {
      const { simulator, app } = await startHuawei();
      const dir = mkdtempSync(join(tmpdir(), 'provisio-bench-'));
      const input = join(dir, 'devices.jsonl');
      writeFileSync(input, Array.from({ length: devices }, (_, i) => JSON.stringify({ nodeId: `bench-${i}` })).join('\n'));
      // Not spawnSync: the simulator lives in this process and must keep answering.
      const stdout = await runChild([join(here, 'bulk-child.mjs'), mode, input, join(dir, 'out.jsonl'), simulator.url, app.appId, app.secret, String(concurrency)]);
      await simulator.stop();
      const figure = JSON.parse(stdout || '{}');
      out[`${mode} ${devices}`] = figure;
      row('bulk', `${devices} devices, ${mode === 'raw' ? 'hand-written loop' : 'provisio bulk (journal on)'}`, `${figure.devicesPerSec} dev/s`, `peak RSS ${figure.maxRssMB} MB`);
    }
  }
  const key = quick ? 2000 : 10_000;
  const r = ratio(out[`provisio ${key}`].devicesPerSec, out[`raw ${key}`].devicesPerSec);
  row('bulk', 'provisio / hand-written throughput', `${r}x`, r >= 0.8 ? 'goal >= 0.8x met' : 'goal >= 0.8x MISSED');
  out.ratio = r;
  results.figures.bulk = out;
}

// 3. Token contention -------------------------------------------------------------------
async function tokenContention() {
  const { simulator, config } = await startHuawei();
  const provisioner = await Provisioner.create({ instances: { h: { plugin: huawei, config } } });
  const provider = provisioner.get('h');
  const latencies = [];
  await Promise.all(
    Array.from({ length: 1000 }, async (_, i) => {
      const started = performance.now();
      await provider.register({ nodeId: `cold-${i}` });
      latencies.push(performance.now() - started);
    }),
  );
  latencies.sort((a, b) => a - b);
  const figure = { logins: simulator.stats.logins, p50Ms: +percentile(latencies, 50).toFixed(1), p99Ms: +percentile(latencies, 99).toFixed(1) };
  row('tokens', '1,000 concurrent calls on a cold instance: logins', figure.logins, figure.logins === 1 ? 'goal 1 met' : 'goal 1 MISSED');
  row('tokens', '1,000 concurrent calls: latency', `p50 ${figure.p50Ms} ms`, `p99 ${figure.p99Ms} ms`);
  await provisioner.close();
  await simulator.stop();
  results.figures.tokens = figure;
}

// 4. Crypto ----------------------------------------------------------------------------
function crypto() {
  const body = '{"ProductId":"PRODUCT_ID1","DeviceName":"DEVICENAME1"}';
  const secret = 'PRODUCT_SECRETKEY';
  const signInput = { algorithm: 'hmacsha256', host: 'ap-guangzhou.gateway.tencentdevices.com', path: '/device/register', timestamp: 1629362589, nonce: 333464802, body, secret };
  const direct = {
    sign: () => {
      const hash = createHash('sha256').update(body).digest('hex');
      return createHmac('sha256', secret).update(['POST', signInput.host, signInput.path, '', 'hmacsha256', '1629362589', '333464802', hash].join('\n')).digest('base64');
    },
    tc3: () => {
      const sha = (d) => createHash('sha256').update(d).digest('hex');
      const mac = (k, d) => createHmac('sha256', k).update(d).digest();
      const canonical = ['POST', '/', '', 'content-type:application/json; charset=utf-8\nhost:iotexplorer.tencentcloudapi.com\n', 'content-type;host', sha(body)].join('\n');
      const sts = ['TC3-HMAC-SHA256', '1629362589', '2021-08-19/iotexplorer/tc3_request', sha(canonical)].join('\n');
      return createHmac('sha256', mac(mac(mac('TC3secret-key', '2021-08-19'), 'iotexplorer'), 'tc3_request')).update(sts).digest('hex');
    },
  };
  const { payload, length } = sealPayload('{"encryptionType":2,"psk":"lDZ6Uqt+I9E0wW7rvDUs7Q=="}', 'hzvf5LF9S0isvBhDSauWMaIk');
  const directDecrypt = () => {
    const d = createDecipheriv('aes-128-cbc', Buffer.from('hzvf5LF9S0isvBhD'), Buffer.from('0000000000000000'));
    d.setAutoPadding(false);
    return Buffer.concat([d.update(Buffer.from(payload, 'base64')), d.final()]).subarray(0, length);
  };
  void createCipheriv;
  const tc3Input = { secretId: 'AKID', secretKey: 'secret-key', service: 'iotexplorer', host: 'iotexplorer.tencentcloudapi.com', method: 'POST', contentType: 'application/json; charset=utf-8', payload: body, timestamp: 1629362589 };
  const pairs = [
    ['device registration signature', () => deviceSignature(signInput), direct.sign],
    ['TC3-HMAC-SHA256 signature', () => tc3Signature(tc3Input), direct.tc3],
    ['payload decryption', () => openPayload(payload, length, 'hzvf5LF9S0isvBhDSauWMaIk'), directDecrypt],
  ];
  const out = {};
  for (const [name, ours, theirs] of pairs) {
    const { a, b } = compare(ours, theirs);
    const r = ratio(a, b);
    out[name] = { provisio: a, direct: b, ratio: r };
    row('crypto', `${name}: provisio / direct node:crypto`, `${r}x`, `${a} vs ${b} op/s; ${r >= 0.9 ? 'goal >= 0.9x met' : 'goal >= 0.9x MISSED'}`);
  }
  results.figures.crypto = out;
}

// 5. Start-up --------------------------------------------------------------------------
async function startup() {
  const script = join(here, 'startup-child.mjs');
  const importMs = await median(async () => JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8' })).totalMs, 7);
  const help = await median(async () => {
    const started = performance.now();
    execFileSync(process.execPath, [join(here, '..', 'packages', 'cli', 'bin', 'provisio.js'), '--help']);
    return performance.now() - started;
  }, 7);
  const bare = await median(async () => {
    const started = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    return performance.now() - started;
  }, 7);
  row('start-up', 'import core + both providers + build a provisioner', `${importMs} ms`, importMs < 150 ? 'goal < 150 ms met' : 'goal < 150 ms MISSED');
  row('start-up', 'provisio --help (wall)', `${help} ms`, `${help < 300 ? 'goal < 300 ms met' : 'goal < 300 ms MISSED'}; bare node -e 0: ${bare} ms`);
  results.figures.startup = { importAndProvisionerMs: importMs, helpWallMs: help, bareNodeMs: bare };
}

console.log(`provisio benchmarks on ${results.machine.cpu} (${results.machine.cores} cores), Node ${results.machine.node}${quick ? ' [quick]' : ''}\n`);
await perCall();
await bulk();
await tokenContention();
crypto();
await startup();
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify({ ...results, rows }, null, 2)}\n`);
console.log(`\nWritten to bench/results/latest.json`);
