import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPayload } from '@provisio/provider-tencent';
import { BIN, provisio, simControl, startProvisio, tempDir, type SimulateInfo } from './helpers.js';

/**
 * The way users run provisio: the CLI as a child process, the simulators in another process
 * (`provisio simulate`), rate limits ON (scaled down through configuration: the same code path
 * as the real 100/min), mutual TLS, and kill -9 at random moments while calls wait for the
 * limiter. Counts are scaled down to fit CI; conditions are not.
 */

interface Line {
  nodeId: string;
  deviceId: string;
  recovered?: boolean;
  credentials: { kind: string; verifyCode?: string; psk?: string; validitySeconds?: number };
}

const lines = (file: string): Line[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Line);

function bulk(dir: string, env: Record<string, string>, instance: string, input: string, killAfterMs?: number, output = `${instance}-creds.jsonl`): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'bulk', '-i', instance, '--input', input, '--output', output, '--concurrency', '8'], {
      cwd: dir,
      env: { ...process.env, ...env },
    });
    let stderr = '';
    child.stdout?.resume();
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('real conditions: bulk against `provisio simulate` in another process, limits on, kill -9', function () {
  this.timeout(300_000);
  let dir: string;
  let sim: ChildProcess;
  let info: SimulateInfo;

  before(async () => {
    dir = tempDir();
    // 40 calls/s on the simulators' flow control and in the written client config alike.
    const started = await startProvisio(['simulate', '--write-config', 'provisio.config.json', '--json', '--rate-limit', '40/1s'], dir);
    sim = started.child;
    info = JSON.parse(started.firstLine) as SimulateInfo;
  });
  after(() => sim?.kill('SIGTERM'));

  it('huawei: 150 rows with factory verify codes, PSKs and validities survive 4 kill -9s: each device once, with exactly the row\'s credentials', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => ({
      nodeId: `rc-hw-${i}`,
      verifyCode: i % 2 === 0 ? `FACTORY${String(i).padStart(4, '0')}` : '',
      psk: i % 3 === 0 ? `${String(i).padStart(4, '0')}${'ab'.repeat(14)}` : '',
      validitySeconds: i % 5 === 0 ? '' : '0',
    }));
    writeFileSync(join(dir, 'hw.csv'), ['nodeId,verifyCode,psk,validitySeconds', ...rows.map((r) => `${r.nodeId},${r.verifyCode},${r.psk},${r.validitySeconds}`)].join('\n'));
    let seed = 5;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let kills = 0;
    for (let i = 0; i < 4; i++) {
      const { code } = await bulk(dir, info.env, 'huawei', 'hw.csv', 700 + Math.floor(random() * 1500));
      if (code === 0) break;
      expect(code, 'killed, not exited by itself').to.equal(null);
      kills++;
    }
    const last = await bulk(dir, info.env, 'huawei', 'hw.csv');
    expect(last.code, last.stderr).to.equal(0);
    expect(kills).to.be.greaterThan(0);

    const out = lines(join(dir, `${'huawei'}-creds.jsonl`));
    expect(out).to.have.length(150);
    expect(new Set(out.map((l) => l.nodeId)).size).to.equal(150);
    expect(statSync(join(dir, 'huawei-creds.jsonl')).mode & 0o777).to.equal(0o600);
    expect(statSync(join(dir, 'huawei-creds.jsonl.journal')).mode & 0o777).to.equal(0o600);
    const devices = (await simControl(info, dir, 'huawei', 'GET', '/__sim/devices')).json as Array<{ nodeId: string; deviceId: string; timeout: number; psk?: string }>;
    const ours = devices.filter((d) => d.nodeId.startsWith('rc-hw-'));
    expect(ours).to.have.length(150);
    expect(ours.some((d) => 'psk' in d || 'verifyCode' in d), 'the control surface shows no PSK and no verify code').to.equal(false);
    const byNode = new Map(ours.map((d) => [d.nodeId, d]));
    for (const row of rows) {
      const line = out.find((l) => l.nodeId === row.nodeId) as Line;
      const device = byNode.get(row.nodeId);
      expect(line.deviceId, row.nodeId).to.equal(device?.deviceId);
      if (row.verifyCode) expect(line.credentials.verifyCode, row.nodeId).to.equal(row.verifyCode);
      if (row.psk) expect(line.credentials.psk, row.nodeId).to.equal(row.psk);
      expect(device?.timeout, `${row.nodeId} validity`).to.equal(row.validitySeconds === '0' ? 0 : 180);
      // The device side proves the line holds what the cloud holds: verify code AND PSK.
      const login = await simControl(info, dir, 'huawei', 'POST', '/__sim/device-login', { nodeId: row.nodeId, verifyCode: line.credentials.verifyCode, psk: line.credentials.psk });
      expect(login.status, `${row.nodeId} logs in with its line's credentials`).to.equal(200);
    }
    const stats = (await simControl(info, dir, 'huawei', 'GET', '/__sim/stats')).json as { throttled: number };
    console.log(`      huawei: ${kills} kills, ${out.filter((l) => l.recovered).length} recovered, ${stats.throttled} throttled answers`);
  });

  it('tencent: 120 devices survive 3 kill -9s: each device once, every sealed secret the one the cloud holds', async () => {
    writeFileSync(join(dir, 'tc.jsonl'), Array.from({ length: 120 }, (_, i) => JSON.stringify({ nodeId: `rc_tc_${i}` })).join('\n'));
    const env = info.env;
    let kills = 0;
    let seed = 9;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 3; i++) {
      const { code } = await bulk(dir, env, 'tencent', 'tc.jsonl', 600 + Math.floor(random() * 1200));
      if (code === 0) break;
      kills++;
    }
    const last = await bulk(dir, env, 'tencent', 'tc.jsonl');
    expect(last.code, last.stderr).to.equal(0);
    const out = lines(join(dir, 'tencent-creds.jsonl'));
    expect(out).to.have.length(120);
    expect(new Set(out.map((l) => l.nodeId)).size).to.equal(120);
    const productId = info.config.instances.tencent?.config.productId as string;
    const productSecret = info.env[(info.config.instances.tencent?.config.productSecret as string).replace(/^\$\{(.+)\}$/, '$1')] as string;
    for (const line of out) {
      const sealed = line.credentials as unknown as { payload: string; length: number };
      const psk = (JSON.parse(openPayload(sealed.payload, sealed.length, productSecret).toString('utf8')) as { psk: string }).psk;
      const connect = await simControl(info, dir, 'tencent', 'POST', '/__sim/device-connect', { productId, deviceName: line.nodeId, psk });
      expect(connect.status, `${line.nodeId} connects with its line's secret`).to.be.oneOf([200, 204]);
    }
    const stats = (await simControl(info, dir, 'tencent', 'GET', '/__sim/stats')).json as { throttled: number };
    console.log(`      tencent: ${kills} kills, ${out.filter((l) => l.recovered).length} recovered, ${stats.throttled} throttled answers`);
  });

  it('huawei: registrations whose answers were lost are recovered with the row\'s own verify code, PSK and validity (never-connected devices cannot be rekeyed: 100610)', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ nodeId: `lost-hw-${i}`, verifyCode: i % 2 ? '' : `LOSTCODE${i}`, psk: i % 3 ? '' : `${'cd'.repeat(15)}${String(i).padStart(2, '0')}`, validitySeconds: '0' }));
    writeFileSync(join(dir, 'lost.csv'), ['nodeId,verifyCode,psk,validitySeconds', ...rows.map((r) => `${r.nodeId},${r.verifyCode},${r.psk},${r.validitySeconds}`)].join('\n'));
    // Registrations 6-13 are carried out by the cloud, but their answers never arrive.
    await simControl(info, dir, 'huawei', 'POST', '/__sim/faults', { kind: 'lost-answer', path: 'deviceCredentials', skip: 5, times: 8 });
    const first = await bulk(dir, info.env, 'huawei', 'lost.csv', undefined, 'lost-out.jsonl');
    expect(first.code, 'the first run reports the lost answers as failures').to.equal(1);
    const second = await bulk(dir, info.env, 'huawei', 'lost.csv', undefined, 'lost-out.jsonl');
    expect(second.code, second.stderr).to.equal(0);
    const out = lines(join(dir, 'lost-out.jsonl'));
    expect(out).to.have.length(30);
    expect(out.filter((l) => l.recovered)).to.have.length(8);
    const devices = (await simControl(info, dir, 'huawei', 'GET', '/__sim/devices')).json as Array<{ nodeId: string; deviceId: string; timeout: number }>;
    for (const row of rows) {
      const line = out.find((l) => l.nodeId === row.nodeId) as Line;
      const onCloud = devices.filter((d) => d.nodeId === row.nodeId);
      expect(onCloud, row.nodeId).to.have.length(1);
      expect(line.deviceId).to.equal(onCloud[0]?.deviceId);
      expect(onCloud[0]?.timeout, `${row.nodeId} keeps the row's validity`).to.equal(0);
      if (row.verifyCode) expect(line.credentials.verifyCode).to.equal(row.verifyCode);
      expect(line.credentials.psk, `${row.nodeId} line carries the PSK`).to.be.a('string');
      if (row.psk) expect(line.credentials.psk).to.equal(row.psk);
      const login = await simControl(info, dir, 'huawei', 'POST', '/__sim/device-login', { nodeId: row.nodeId, verifyCode: line.credentials.verifyCode, psk: line.credentials.psk });
      expect(login.status, `${row.nodeId} logs in with its line's credentials`).to.equal(200);
    }
  });

  it('a second bulk on the same output while one runs is refused (exit 6), and the first one finishes alone', async () => {
    writeFileSync(join(dir, 'lock.jsonl'), Array.from({ length: 80 }, (_, i) => JSON.stringify({ nodeId: `lock-${i}` })).join('\n'));
    const args = ['bulk', '-i', 'huawei', '--input', 'lock.jsonl', '--output', 'lock-out.jsonl'];
    const first = provisio(args, { cwd: dir, env: info.env });
    await new Promise((r) => setTimeout(r, 700));
    const second = await provisio(args, { cwd: dir, env: info.env });
    expect(second.code, second.stderr).to.equal(6);
    expect(second.stderr).to.include('another provisio bulk');
    const firstResult = await first;
    expect(firstResult.code, firstResult.stdout + firstResult.stderr).to.equal(0);
    expect(lines(join(dir, 'lock-out.jsonl'))).to.have.length(80);
  });
});
