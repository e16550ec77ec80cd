import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDIS_INSTALL_HINT, RedisServerProcess, redisServerInstalled } from '@provisio/redis/testing';
import { BIN, simControl, startProvisio, tempDir, type SimulateInfo } from './helpers.js';

/**
 * Fleet scale under real conditions: a real redis-server (started here, on a free port), the
 * simulators in another process with flow control on, the coordinator and the workers as
 * separate CLI processes sharing one Huawei app's login and budget, kill -9 at random moments.
 * Sizes are scaled down for CI; PROVISIO_FLEET_DEVICES raises them (600 for the figures).
 */
const DEVICES = Number(process.env.PROVISIO_FLEET_DEVICES ?? 120);
const KILLS = Number(process.env.PROVISIO_FLEET_KILLS ?? 4);

interface Line {
  nodeId: string;
  deviceId: string;
  recovered?: boolean;
  credentials: { kind: string; verifyCode?: string };
}

const lines = (file: string): Line[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Line);

function run(dir: string, env: Record<string, string>, args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env } });
  let stderr = '';
  child.stdout?.resume();
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { child, done };
}

if (!redisServerInstalled()) {
  describe('distributed bulk (Redis + BullMQ)', () => {
    it(`skipped: redis-server is not installed; ${REDIS_INSTALL_HINT}`, function () {
      this.skip();
    });
  });
} else {
  describe('distributed bulk: coordinator and workers as processes, one Huawei app, a real Redis', function () {
    this.timeout(600_000);
    let dir: string;
    let sim: ChildProcess;
    let info: SimulateInfo;
    let redis: RedisServerProcess;
    let env: Record<string, string>;
    const stats = async () => (await simControl(info, dir, 'huawei', 'GET', '/__sim/stats')).json as { logins: number; throttled: number; requests: number };

    before(async () => {
      dir = tempDir();
      redis = await RedisServerProcess.start();
      // 20 calls/s on the simulator's flow control (counted per app) and in the client config alike.
      const started = await startProvisio(['simulate', '--write-config', 'provisio.config.json', '--json', '--rate-limit', '20/1s'], dir);
      sim = started.child;
      info = JSON.parse(started.firstLine) as SimulateInfo;
      env = { ...info.env, PROVISIO_QUEUE_KEY: randomBytes(32).toString('base64') };
    });
    after(async () => {
      sim?.kill('SIGTERM');
      await redis?.stop();
    });

    const workers = (n: number, extra: string[] = []) =>
      Array.from({ length: n }, () => run(dir, env, ['worker', '-i', 'huawei', '--queue', redis.url, '--concurrency', '8', '--lock-ms', '2000', ...extra]));

    it('coordination in provisio.config.json: an unreachable Redis fails the command with UNAVAILABLE, naming it, before any cloud call', async () => {
      const config = JSON.parse(readFileSync(join(dir, 'provisio.config.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'down.config.json'), JSON.stringify({ ...config, coordination: { redis: '${DOWN_REDIS_URL}' } }));
      const before = await stats();
      const r = run(dir, { ...env, DOWN_REDIS_URL: 'redis://127.0.0.1:1' }, ['--config', 'down.config.json', 'register', '-i', 'huawei', '--node-id', 'never-sent']);
      const { code, stderr } = await r.done;
      expect(code).to.not.equal(0);
      expect(stderr).to.match(/UNAVAILABLE: Redis at redis:\/\/127\.0\.0\.1:1 is unreachable/);
      expect((await stats()).requests - before.requests, 'no call reached the cloud').to.equal(0);
    });

    it('bulk --queue without PROVISIO_QUEUE_KEY: a clear error (exit 2) before anything reaches Redis', async () => {
      writeFileSync(join(dir, 'nokey.jsonl'), JSON.stringify({ nodeId: 'nokey-1' }));
      const { PROVISIO_QUEUE_KEY: _key, ...withoutKey } = env;
      const child = spawn(process.execPath, [BIN, 'bulk', '-i', 'huawei', '--input', 'nokey.jsonl', '--output', 'nokey.jsonl.out', '--queue', redis.url], {
        cwd: dir,
        env: Object.fromEntries(Object.entries({ ...process.env, ...withoutKey }).filter(([k]) => k !== 'PROVISIO_QUEUE_KEY')),
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).to.equal(2);
      expect(stderr).to.match(/PROVISIO_QUEUE_KEY must hold 32 random bytes/);
    });

    it('bulk --queue --strict: the whole input is checked first; an invalid row and no row is enqueued (exit 2, no worker needed)', async () => {
      // Before, the rows above the invalid one were enqueued, and the coordinator waited for them.
      writeFileSync(join(dir, 'strict.csv'), ['nodeId,validitySeconds', 'q-1,0', 'q-2,abc', 'q-3,0', ''].join('\n'));
      const before = await stats();
      const coordinator = run(dir, env, ['bulk', '-i', 'huawei', '--input', 'strict.csv', '--output', 'strict-creds.jsonl', '--queue', redis.url, '--strict']);
      const timer = setTimeout(() => coordinator.child.kill('SIGKILL'), 15_000);
      const result = await coordinator.done;
      clearTimeout(timer);
      expect(result.code, result.stderr).to.equal(2);
      expect((await stats()).requests).to.equal(before.requests);
      expect(lines(join(dir, 'strict-creds.jsonl'))).to.deep.equal([]);
    });

    it(`4 workers share one login and one budget: ${DEVICES} devices, 0 throttles, 1 login, 1 re-login after the token is invalidated`, async () => {
      writeFileSync(join(dir, 'fleet.jsonl'), Array.from({ length: DEVICES }, (_, i) => JSON.stringify({ nodeId: `fleet-${i}` })).join('\n'));
      const before = await stats();
      const started = performance.now();
      const crew = workers(4);
      const coordinator = run(dir, env, ['bulk', '-i', 'huawei', '--input', 'fleet.jsonl', '--output', 'fleet-creds.jsonl', '--queue', redis.url]);
      // Mid-run, the platform invalidates the token (only the newest is valid: as if someone logged in elsewhere).
      const marks: Array<[number, number]> = [];
      let invalidated = false;
      const invalidate = new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          let count = 0;
          try {
            count = lines(join(dir, 'fleet-creds.jsonl')).length;
          } catch {
            /* not there yet */
          }
          if ((marks.length === 0 && count >= DEVICES * 0.1) || (marks.length === 1 && count >= DEVICES * 0.9)) marks.push([performance.now(), count]);
          if (marks.length === 2) clearInterval(poll);
          if (count >= DEVICES / 3 && !invalidated) {
            invalidated = true;
            void simControl(info, dir, 'huawei', 'POST', '/__sim/tokens/expire').then(() => resolve());
          }
        }, 50);
      });
      const result = await coordinator.done;
      const seconds = (performance.now() - started) / 1000;
      await invalidate;
      for (const w of crew) w.child.kill('SIGTERM');
      await Promise.all(crew.map((w) => w.done));
      expect(result.code, result.stderr).to.equal(0);
      expect(invalidated).to.equal(true);
      const after = await stats();
      const out = lines(join(dir, 'fleet-creds.jsonl'));
      expect(out).to.have.length(DEVICES);
      expect(new Set(out.map((l) => l.nodeId)).size).to.equal(DEVICES);
      expect(statSync(join(dir, 'fleet-creds.jsonl')).mode & 0o777).to.equal(0o600);
      expect(readFileSync(join(dir, 'fleet-creds.jsonl.journal'), 'utf8'), 'the finished run compacted the journal').to.not.include('"cred"');
      expect(after.throttled - before.throttled, 'throttled answers').to.equal(0);
      expect(after.logins - before.logins, 'logins: the first, and one after the invalidation').to.equal(2);
      const calls = after.requests - before.requests;
      // Steady state, from 10% to 90% of the devices written (one register call each; the re-login in between).
      const [[t1, c1], [t2, c2]] = marks as [[number, number], [number, number]];
      const steadyRate = (c2 - c1) / ((t2 - t1) / 1000);
      console.log(
        `      fleet: ${DEVICES} devices by 4 worker processes in ${seconds.toFixed(1)} s (${calls} calls, limit 20/s): ${((calls / seconds / 20) * 100).toFixed(0)}% of the budget incl. process start-up, ` +
          `${((steadyRate / 20) * 100).toFixed(0)}% in steady state (10%-90% of the devices: ${steadyRate.toFixed(1)}/s); logins ${after.logins - before.logins}, throttled ${after.throttled - before.throttled}`,
      );
    });

    it('a worker killed while its register call is at the cloud: the next worker finds the device, deletes and registers it again from the row (recovered), never twice', async () => {
      const n = 20;
      writeFileSync(join(dir, 'midcall.jsonl'), Array.from({ length: n }, (_, i) => JSON.stringify({ nodeId: `midcall-${i}` })).join('\n'));
      // The next 3 register calls reach the cloud, which acts 1 s later: the worker is killed meanwhile.
      await simControl(info, dir, 'huawei', 'POST', '/__sim/faults', { kind: 'latency', ms: 1000, path: 'deviceCredentials', times: 3 });
      const coordinator = run(dir, env, ['bulk', '-i', 'huawei', '--input', 'midcall.jsonl', '--output', 'midcall-creds.jsonl', '--queue', redis.url]);
      const [first] = workers(1, ['--concurrency', '3']) as [ReturnType<typeof run>];
      // The three delayed register calls are at the cloud once the fault is used up (an empty
      // POST only reports what is queued): kill the worker while the cloud is still acting.
      for (;;) {
        const queued = ((await simControl(info, dir, 'huawei', 'POST', '/__sim/faults', [])).json as { queued: number }).queued;
        if (queued === 0) break;
        if (first.child.exitCode !== null) throw new Error(`the worker exited: ${(await first.done).stderr}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      first.child.kill('SIGKILL');
      await first.done;
      // Once the cloud has acted on them: devices that exist but whose credentials nobody received.
      await new Promise((r) => setTimeout(r, 1200));
      const saved = new Set(existsSync(join(dir, 'midcall-creds.jsonl')) ? lines(join(dir, 'midcall-creds.jsonl')).map((l) => l.nodeId) : []);
      const orphans = ((await simControl(info, dir, 'huawei', 'GET', '/__sim/devices')).json as Array<{ nodeId: string }>)
        .map((d) => d.nodeId)
        .filter((id) => id.startsWith('midcall-') && !saved.has(id))
        .sort();
      expect(orphans.length, 'devices the killed worker registered without receiving the answer').to.be.at.least(1);
      const [second] = workers(1) as [ReturnType<typeof run>];
      const result = await coordinator.done;
      second.child.kill('SIGTERM');
      await second.done;
      expect(result.code, result.stderr).to.equal(0);
      const out = lines(join(dir, 'midcall-creds.jsonl'));
      expect(out).to.have.length(n);
      // Exactly those were found, deleted and registered again from their rows; the rest registered once.
      expect(out.filter((l) => l.recovered).map((l) => l.nodeId).sort()).to.deep.equal(orphans);
      const devices = ((await simControl(info, dir, 'huawei', 'GET', '/__sim/devices')).json as Array<{ nodeId: string; deviceId: string }>).filter((d) => d.nodeId.startsWith('midcall-'));
      expect(devices).to.have.length(n);
      for (const line of out) {
        expect(line.deviceId).to.equal(devices.find((d) => d.nodeId === line.nodeId)?.deviceId);
        const login = await simControl(info, dir, 'huawei', 'POST', '/__sim/device-login', { nodeId: line.nodeId, verifyCode: line.credentials.verifyCode });
        expect(login.status, line.nodeId).to.equal(200);
      }
    });

    it(`${KILLS} kill -9s over workers and the coordinator: every device once, each line what the cloud holds`, async () => {
      writeFileSync(join(dir, 'kill.jsonl'), Array.from({ length: DEVICES }, (_, i) => JSON.stringify({ nodeId: `kill-${i}` })).join('\n'));
      let seed = 11;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      let crew = workers(2);
      let coordinator = run(dir, env, ['bulk', '-i', 'huawei', '--input', 'kill.jsonl', '--output', 'kill-creds.jsonl', '--queue', redis.url]);
      let kills = { workers: 0, coordinator: 0 };
      for (let i = 0; i < KILLS; i++) {
        await new Promise((r) => setTimeout(r, 400 + random() * 1200));
        if (coordinator.child.exitCode !== null) break;
        if (i % 3 === 2) {
          coordinator.child.kill('SIGKILL');
          await coordinator.done;
          kills.coordinator++;
          coordinator = run(dir, env, ['bulk', '-i', 'huawei', '--input', 'kill.jsonl', '--output', 'kill-creds.jsonl', '--queue', redis.url]);
        } else {
          const victim = Math.floor(random() * crew.length);
          crew[victim]?.child.kill('SIGKILL');
          await crew[victim]?.done;
          kills.workers++;
          crew = [...crew.slice(0, victim), ...crew.slice(victim + 1), ...workers(1)];
        }
      }
      const result = await coordinator.done;
      for (const w of crew) w.child.kill('SIGTERM');
      await Promise.all(crew.map((w) => w.done));
      expect(result.code, result.stderr).to.equal(0);
      const out = lines(join(dir, 'kill-creds.jsonl'));
      expect(out).to.have.length(DEVICES);
      expect(new Set(out.map((l) => l.nodeId)).size).to.equal(DEVICES);
      const devices = (await simControl(info, dir, 'huawei', 'GET', '/__sim/devices')).json as Array<{ nodeId: string; deviceId: string }>;
      const ours = devices.filter((d) => d.nodeId.startsWith('kill-'));
      expect(ours, 'each device registered once on the cloud').to.have.length(DEVICES);
      const byNode = new Map(ours.map((d) => [d.nodeId, d.deviceId]));
      for (const line of out) {
        expect(line.deviceId, line.nodeId).to.equal(byNode.get(line.nodeId));
        const login = await simControl(info, dir, 'huawei', 'POST', '/__sim/device-login', { nodeId: line.nodeId, verifyCode: line.credentials.verifyCode });
        expect(login.status, `${line.nodeId} logs in with its line's credentials`).to.equal(200);
      }
      // Nothing of the run stays in Redis: the jobs (and their sealed credentials) left once written.
      const left = await new Promise<string>((resolve) => {
        const cli = spawn('redis-cli', ['-p', String(redis.port), '--scan', '--pattern', 'bull:provisio-bulk-huawei:d-*']);
        let text = '';
        cli.stdout.on('data', (d: Buffer) => (text += d.toString()));
        cli.on('close', () => resolve(text.trim()));
      });
      expect(left, 'jobs left in Redis').to.equal('');
      console.log(`      kill -9: ${kills.workers} workers and ${kills.coordinator} coordinators killed; ${out.filter((l) => l.recovered).length} devices recovered (looked up, deleted, registered again); 0 duplicates`);
    });
  });
}
