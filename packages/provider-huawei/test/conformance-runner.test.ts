import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { huaweiSimulatorHook } from '../src/index.js';

// The command as npm links it (the testkit's bin shim).
const bin = join(dirname(createRequire(import.meta.url).resolve('@provisio/testkit/package.json')), 'bin', 'provisio-conformance.js');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: process.cwd(), env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('provisio-conformance runner', function () {
  this.timeout(120_000);

  it('loads the plugin by package name, runs the suite on its simulator, prints the matrix, writes JSON and JUnit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provisio-conformance-'));
    const result = await run(['@provisio/provider-huawei', '--reporter', 'dot', '--report-dir', dir]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/Conformance: @provisio\/provider-huawei/);
    expect(result.stdout).to.match(/validation\s+21\s+0\s+0\s+0\s+pass/);
    const json = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { summary: { pass: number; fail: number } };
    expect(json.summary.fail).to.equal(0);
    expect(json.summary.pass).to.be.greaterThan(30);
    expect(readFileSync(join(dir, 'conformance.junit.xml'), 'utf8')).to.match(/<testsuite name="@provisio\/provider-huawei" tests="\d+" failures="0"/);
  });

  it('exits non-zero with a clear message for an unknown plugin or a plugin without a simulator', async () => {
    const unknown = await run(['provisio-no-such-plugin']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include('provisio-no-such-plugin').and.include('npm install');
    const dir = mkdtempSync(join(tmpdir(), 'provisio-conformance-'));
    const noSimulator = await run(['provisio-plugin-fixture-echo', '--reporter', 'dot', '--report-dir', dir]);
    expect(noSimulator.code).to.equal(2);
    expect(noSimulator.stdout + noSimulator.stderr).to.include('offers no simulator');
  });

  it('--live runs the suite against a running cloud from an env config within its flow control, skipping the device side and deleting every device it created', async () => {
    // A simulator stands in for the real cloud here; the runner only sees a URL and credentials.
    // Flow control ON, Huawei's default 100 calls/min scaled twentyfold (100 per 3 s) in the cloud
    // and in the client config alike; the per-test budget scaled down with it (3 s instead of 30):
    // the 100-registration scenario needs ~200 calls, about 6 s, so only a time budget taken
    // from the manifest's flowControl lets it pass (issue 13.13).
    const cloud = await huaweiSimulatorHook.start({ rateLimit: { limit: 100, intervalMs: 3000 } });
    try {
      const { secret, ...config } = cloud.instanceConfig() as Record<string, unknown>;
      expect(config.rateLimit).to.deep.equal({ limit: 100, intervalMs: 3000 });
      const dir = mkdtempSync(join(tmpdir(), 'provisio-conformance-'));
      const result = await run(['@provisio/provider-huawei', '--live', '--reporter', 'dot', '--report-dir', dir, '--timeout', '3000'], {
        PROVISIO_CONFORMANCE_CONFIG: JSON.stringify({ ...config, secret: '${LIVE_APP_SECRET}' }),
        LIVE_APP_SECRET: String(secret),
      });
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as {
        live: boolean;
        results: Array<{ title: string; status: string; message?: string }>;
      };
      expect(report.live).to.equal(true);
      const connect = report.results.find((r) => r.title.startsWith('status: after the device connects'));
      expect(connect).to.include({ status: 'skip' });
      expect(connect?.message).to.include('device side');
      expect(report.results.find((r) => r.title.startsWith('register: creates'))).to.include({ status: 'pass' });
      expect(report.results.find((r) => r.title.includes('parallel registrations'))).to.include({ status: 'pass' });
      expect(report.results.find((r) => r.title.startsWith('cleanup:'))).to.include({ status: 'pass' });
      // Nothing left on the cloud: every device the suite created was deleted.
      const devices = (await (await fetch(new URL('/__sim/devices', cloud.url))).json()) as unknown[];
      expect(devices, 'devices left on the cloud').to.have.length(0);
    } finally {
      await cloud.stop();
    }
  });

  it('with --live and no config, says what to provide', async () => {
    const live = await run(['@provisio/provider-huawei', '--live']);
    expect(live.code).to.equal(2);
    expect(live.stderr).to.include('PROVISIO_CONFORMANCE_CONFIG');
  });
});
