// Issue 12 "Done when": a bulk of N devices on each cloud, run the way users run it (the CLI as
// a child process, `provisio simulate` in another process, rate limits on in the simulator AND
// in the client, mutual TLS for Huawei), killed with SIGKILL at random moments K times, then
// resumed until it finishes. Then every claim is checked against what the simulator holds.
// A measurement, not part of `npm test` (it takes minutes).
//
// Usage: node bench/bulk-kill9.mjs [devices=2000] [kills=10] [rate=100/1s] [seed=12]
//   rate: Huawei's default 100/min scaled 60x by default (the same code path; only the
//   interval changes). Applies to both simulators' flow control and to the written client config.
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPayload } from '@provisio/provider-tencent';
import { BIN, simControl, startProvisio, tempDir } from '../packages/cli/dist/test/helpers.js';

const [devicesArg = '2000', killsArg = '10', rate = '100/1s', seedArg = '12'] = process.argv.slice(2);
const DEVICES = Number(devicesArg);
const KILLS = Number(killsArg);
let seed = Number(seedArg);
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const dir = tempDir();
const started = await startProvisio(['simulate', '--write-config', 'provisio.config.json', '--json', '--rate-limit', rate], dir);
const sim = started.child;
const info = JSON.parse(started.firstLine);

function bulk(instance, input, output, killAfterMs) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, 'bulk', '-i', instance, '--input', input, '--output', output], { cwd: dir, env: { ...process.env, ...info.env } });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (stderr += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr, ms: Math.round(performance.now() - t0) });
    });
  });
}

const readLines = (file) =>
  readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

/** Kills K times at random moments (0.6 s .. 0.6 s + window: short enough that every kill lands mid-run), then runs to completion. */
async function killAndResume(instance, input, output, windowMs) {
  const kills = [];
  for (let i = 0; i < KILLS; i++) {
    const at = 600 + Math.floor(random() * windowMs);
    const run = await bulk(instance, input, output, at);
    if (run.code === 0) {
      kills.push({ at, finished: true });
      break;
    }
    if (run.signal !== 'SIGKILL') throw new Error(`${instance} run ${i} exited ${run.code} by itself: ${run.stderr}`);
    const done = (() => {
      try {
        return readLines(output).length;
      } catch {
        return 0;
      }
    })();
    kills.push({ at, linesBefore: done });
  }
  const last = await bulk(instance, input, output);
  if (last.code !== 0) throw new Error(`${instance} final run exited ${last.code}: ${last.stderr}`);
  return { kills, finalMs: last.ms };
}

/** What every cloud's run reports: kills, devices on the simulator, duplicates, credential lines. */
function runFigures(kills, devices, distinctNodes, out) {
  return {
    devices: DEVICES,
    kills: kills.filter((k) => !k.finished).length,
    killMomentsMs: kills.map((k) => k.at),
    linesBeforeEachKill: kills.map((k) => k.linesBefore),
    onCloud: devices.length,
    duplicates: devices.length - distinctNodes,
    lines: out.length,
    recovered: out.filter((l) => l.recovered).length,
  };
}

const results = {};

// Huawei: factory verify codes, caller PSKs and validities mixed, as a real CSV has them.
{
  const rows = Array.from({ length: DEVICES }, (_, i) => ({
    nodeId: `k9-hw-${i}`,
    verifyCode: i % 2 === 0 ? `FACTORY${String(i).padStart(5, '0')}` : '',
    psk: i % 3 === 0 ? `${String(i).padStart(5, '0')}${'ab'.repeat(13)}a` : '',
    validitySeconds: i % 5 === 0 ? '' : '0',
  }));
  writeFileSync(join(dir, 'hw.csv'), ['nodeId,verifyCode,psk,validitySeconds', ...rows.map((r) => `${r.nodeId},${r.verifyCode},${r.psk},${r.validitySeconds}`)].join('\n'));
  const t0 = performance.now();
  const { kills, finalMs } = await killAndResume('huawei', 'hw.csv', 'hw-out.jsonl', 2500);
  const wallMs = Math.round(performance.now() - t0);
  const out = readLines('hw-out.jsonl');
  const devices = (await simControl(info, dir, 'huawei', 'GET', '/__sim/devices')).json.filter((d) => d.nodeId.startsWith('k9-hw-'));
  const byNode = new Map();
  for (const d of devices) byNode.set(d.nodeId, [...(byNode.get(d.nodeId) ?? []), d]);
  const problems = [];
  let loginOk = 0;
  for (const row of rows) {
    const lines = out.filter((l) => l.nodeId === row.nodeId);
    const onCloud = byNode.get(row.nodeId) ?? [];
    if (lines.length !== 1) problems.push(`${row.nodeId}: ${lines.length} lines`);
    if (onCloud.length !== 1) problems.push(`${row.nodeId}: ${onCloud.length} devices on the cloud`);
    const line = lines[0];
    if (!line || onCloud.length !== 1) continue;
    if (line.deviceId !== onCloud[0].deviceId) problems.push(`${row.nodeId}: line deviceId ${line.deviceId} != cloud ${onCloud[0].deviceId}`);
    if (row.verifyCode && line.credentials.verifyCode !== row.verifyCode) problems.push(`${row.nodeId}: verify code not the row's`);
    if (row.psk && line.credentials.psk !== row.psk) problems.push(`${row.nodeId}: PSK not the row's`);
    if (typeof line.credentials.psk !== 'string') problems.push(`${row.nodeId}: line has no PSK`);
    const wantTimeout = row.validitySeconds === '0' ? 0 : 180;
    if (onCloud[0].timeout !== wantTimeout) problems.push(`${row.nodeId}: validity ${onCloud[0].timeout}, row says ${wantTimeout}`);
    // The device side proves the line holds what the cloud holds (verify code and PSK).
    const login = await simControl(info, dir, 'huawei', 'POST', '/__sim/device-login', { nodeId: row.nodeId, verifyCode: line.credentials.verifyCode, psk: line.credentials.psk });
    if (login.status === 200) loginOk++;
    else problems.push(`${row.nodeId}: device login with the line's credentials answered ${login.status}`);
  }
  const stats = (await simControl(info, dir, 'huawei', 'GET', '/__sim/stats')).json;
  results.huawei = {
    ...runFigures(kills, devices, byNode.size, out),
    loginsWithLineCredentials: loginOk,
    problems: problems.length,
    firstProblems: problems.slice(0, 5),
    modes: { output: (statSync(join(dir, 'hw-out.jsonl')).mode & 0o777).toString(8), journal: (statSync(join(dir, 'hw-out.jsonl.journal')).mode & 0o777).toString(8) },
    throttledAnswers: stats.throttled,
    wallMs,
    finalRunMs: finalMs,
  };
  console.log(JSON.stringify({ huawei: results.huawei }));
}

// Tencent: sealed credentials; each line opened with the productSecret and presented to the cloud.
{
  writeFileSync(join(dir, 'tc.jsonl'), Array.from({ length: DEVICES }, (_, i) => JSON.stringify({ nodeId: `k9_tc_${i}` })).join('\n'));
  const t0 = performance.now();
  const { kills, finalMs } = await killAndResume('tencent', 'tc.jsonl', 'tc-out.jsonl', 2500);
  const wallMs = Math.round(performance.now() - t0);
  const out = readLines('tc-out.jsonl');
  const productId = info.config.instances.tencent.config.productId;
  const productSecret = info.env[info.config.instances.tencent.config.productSecret.replace(/^\$\{(.+)\}$/, '$1')];
  const devices = (await simControl(info, dir, 'tencent', 'GET', '/__sim/devices')).json.filter((d) => String(d.deviceName).startsWith('k9_tc_'));
  const names = new Set(devices.map((d) => d.deviceName));
  const problems = [];
  let connectOk = 0;
  for (let i = 0; i < DEVICES; i++) {
    const nodeId = `k9_tc_${i}`;
    const lines = out.filter((l) => l.nodeId === nodeId);
    if (lines.length !== 1) problems.push(`${nodeId}: ${lines.length} lines`);
    const line = lines[0];
    if (!line) continue;
    const psk = JSON.parse(openPayload(line.credentials.payload, line.credentials.length, productSecret).toString('utf8')).psk;
    const connect = await simControl(info, dir, 'tencent', 'POST', '/__sim/device-connect', { productId, deviceName: nodeId, psk });
    if (connect.status === 200 || connect.status === 204) connectOk++;
    else problems.push(`${nodeId}: the line's secret is refused (${connect.status})`);
  }
  results.tencent = {
    ...runFigures(kills, devices, names.size, out),
    connectsWithLineSecret: connectOk,
    throttledAnswers: (await simControl(info, dir, 'tencent', 'GET', '/__sim/stats')).json.throttled,
    problems: problems.length,
    firstProblems: problems.slice(0, 5),
    modes: { output: (statSync(join(dir, 'tc-out.jsonl')).mode & 0o777).toString(8), journal: (statSync(join(dir, 'tc-out.jsonl.journal')).mode & 0o777).toString(8) },
    wallMs,
    finalRunMs: finalMs,
  };
  console.log(JSON.stringify({ tencent: results.tencent }));
}

sim.kill('SIGTERM');
const ok = ['huawei', 'tencent'].every((c) => results[c].problems === 0 && results[c].onCloud === DEVICES && results[c].duplicates === 0 && results[c].lines === DEVICES);
console.log(JSON.stringify({ rate, seed: Number(seedArg), ok }));
process.exitCode = ok ? 0 : 1;
