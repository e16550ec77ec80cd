import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../src/main.js';
import { provisio, simControl, startProvisio, tempDir, type SimulateInfo } from './helpers.js';


const COMMANDS = ['register', 'lookup', 'status', 'rekey', 'decrypt', 'unregister', 'providers', 'simulate', 'bulk', 'conformance', 'demo'];

describe('cli: help', function () {
  this.timeout(30_000);

  it('provisio --help lists every command and the exit codes', async () => {
    const result = await provisio(['--help']);
    expect(result.code).to.equal(0);
    for (const command of COMMANDS) expect(result.stdout).to.include(command);
    expect(result.stdout).to.include('Exit codes');
  });

  it('provisio --help, listed from the command table, is what every command module registers', async () => {
    // --help registers no command module (they load @provisio/core); the table must not drift from them.
    const listed = await provisio(['--help']);
    const { program } = await buildProgram();
    // A child's stdout is a pipe: commander then wraps at 80 columns.
    program.configureHelp({ helpWidth: 80 });
    expect(listed.stdout.startsWith(program.helpInformation()), listed.stdout).to.equal(true);
  });

  for (const command of COMMANDS) {
    it(`provisio ${command} --help shows an example`, async () => {
      const result = await provisio([command, '--help']);
      expect(result.code).to.equal(0);
      expect(result.stdout).to.include('Example:');
    });
  }

  it('an unknown command or a missing option is a usage error (exit 2)', async () => {
    expect((await provisio(['teleport'])).code).to.equal(2);
    const missing = await provisio(['status']);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('--instance');
  });

  it('a mistyped option is named as unknown (with a suggestion), not reported as a missing required one', async () => {
    const typo = await provisio(['register', '-i', 'huawei', '--nodeid', '860000000000001'], { cwd: tempDir() });
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.include("unknown option '--nodeid'").and.include('--node-id').and.not.include('required option');
  });
});

describe('cli: every subcommand against `provisio simulate`', function () {
  this.timeout(60_000);
  let dir: string;
  let sim: ChildProcess;
  let info: SimulateInfo;
  const run = (args: string[], extraEnv: Record<string, string> = {}) => provisio(args, { cwd: dir, env: { ...info.env, ...extraEnv } });
  const huaweiDeviceSide = async (path: string, body: unknown): Promise<void> => {
    const { status } = await simControl(info, dir, 'huawei', 'POST', path, body);
    expect(status, path).to.be.oneOf([200, 201, 204]);
  };
  const json = async (args: string[]) => {
    const result = await run([...args, '--json']);
    expect(result.code, `${args.join(' ')}: ${result.stdout}${result.stderr}`).to.equal(0);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  before(async () => {
    dir = tempDir();
    // A secrets file left world-readable by an earlier run: simulate must not keep that mode.
    writeFileSync(join(dir, 'secrets.env'), 'OLD=stale\n');
    chmodSync(join(dir, 'secrets.env'), 0o644);
    const started = await startProvisio(['simulate', '--write-config', 'provisio.config.json', '--secrets-file', 'secrets.env', '--json'], dir);
    sim = started.child;
    info = JSON.parse(started.firstLine) as SimulateInfo;
  });
  after(() => {
    sim?.kill('SIGTERM');
  });

  it('simulate prints endpoints and writes a configuration whose secrets are ${ENV} references', async () => {
    expect(info.ready).to.equal(true);
    expect(info.endpoints.map((e) => e.instance)).to.deep.equal(['huawei', 'tencent']);
    for (const e of info.endpoints) expect(e.url).to.match(/^https?:\/\/127\.0\.0\.1:\d+$/);
    expect(info.endpoints[0]?.url).to.match(/^https:/); // Huawei speaks mutual TLS, as the real platform
    const text = JSON.stringify(info.config);
    for (const secret of Object.values(info.env)) expect(text).to.not.include(secret);
    expect(text).to.include('${PROVISIO_HUAWEI_SECRET}');
  });

  it('simulate --secrets-file replaces an existing 0644 file with a 0600 one holding the secrets', async () => {
    expect(info.envFile).to.equal(join(dir, 'secrets.env'));
    expect(statSync(info.envFile).mode & 0o777).to.equal(0o600);
    const lines = readFileSync(info.envFile, 'utf8').trim().split('\n');
    expect(lines).to.have.members(Object.entries(info.env).map(([k, v]) => `${k}=${v}`));
  });

  it('one broken instance (missing variable, misspelt plugin) breaks only itself; providers lists it as broken', async () => {
    const config = JSON.parse(readFileSync(join(dir, 'provisio.config.json'), 'utf8')) as { instances: Record<string, { plugin: string; config: Record<string, unknown> }> };
    const huawei = config.instances.huawei as { plugin: string; config: Record<string, unknown> };
    config.instances['no-env'] = { plugin: huawei.plugin, config: { ...huawei.config, secret: '${PROVISIO_NOT_EXPORTED_SECRET}' } };
    config.instances.typo = { plugin: '@provisio/provider-huawai', config: {} };
    writeFileSync(join(dir, 'mixed.config.json'), JSON.stringify(config));
    const works = await run(['register', '-i', 'tencent', '--node-id', 'mixed_1', '--config', 'mixed.config.json', '--json']);
    expect(works.code, works.stderr).to.equal(0);
    const lookup = await run(['lookup', '-i', 'huawei', '--node-id', 'nobody-here', '--config', 'mixed.config.json']);
    expect(lookup.code, lookup.stderr).to.equal(4);
    const broken = await run(['status', '-i', 'no-env', '--device-id', 'd', '--config', 'mixed.config.json']);
    expect(broken.code).to.equal(2);
    expect(broken.stderr).to.include('instances.no-env.config.secret').and.include('PROVISIO_NOT_EXPORTED_SECRET');
    const listed = await run(['providers', '--config', 'mixed.config.json', '--json']);
    expect(listed.code, listed.stderr).to.equal(0);
    const instances = (JSON.parse(listed.stdout) as { instances: Array<{ name: string; capabilities?: unknown; broken?: { code: string; message: string } }> }).instances;
    expect(instances.map((i) => i.name)).to.deep.equal(['huawei', 'tencent', 'no-env', 'typo']);
    expect(instances.filter((i) => i.capabilities).map((i) => i.name)).to.deep.equal(['huawei', 'tencent']);
    expect(instances.find((i) => i.name === 'no-env')?.broken?.message).to.include('PROVISIO_NOT_EXPORTED_SECRET');
    expect(instances.find((i) => i.name === 'typo')?.broken).to.include({ code: 'INVALID_INPUT' });
    expect(instances.find((i) => i.name === 'typo')?.broken?.message).to.include('not installed');
    const table = await run(['providers', '--config', 'mixed.config.json']);
    expect(table.stdout).to.match(/typo\s+@provisio\/provider-huawai\s+BROKEN/);
  });

  it('advice naming a secret variable is printed as written, not redacted', async () => {
    const env = Object.fromEntries(Object.entries(info.env).filter(([k]) => k !== 'PROVISIO_HUAWEI_SECRET'));
    const missing = await provisio(['status', '-i', 'huawei', '--device-id', 'd'], { cwd: dir, env });
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('export PROVISIO_HUAWEI_SECRET').and.include('. ./provisio.env').and.not.include('[REDACTED]');
    const psk = await run(['register', '-i', 'huawei', '--node-id', 'psk-advice', '--psk-env', 'DEVICE_PSK']);
    expect(psk.code).to.equal(2);
    expect(psk.stderr).to.include('export DEVICE_PSK').and.not.include('[REDACTED]');
  });

  it('providers lists the installed plugins and the configured instances with capabilities', async () => {
    const out = (await json(['providers'])) as { plugins: Array<{ plugin: string }>; instances: Array<{ name: string; capabilities: { operations: Record<string, boolean> } }> };
    expect(out.plugins.map((p) => p.plugin)).to.include.members(['@provisio/provider-huawei', '@provisio/provider-tencent']);
    expect(out.instances.map((i) => i.name)).to.deep.equal(['huawei', 'tencent']);
    const table = await run(['providers']);
    expect(table.stdout).to.include('Configured instances').and.include('register,lookup,status');
  });

  it('huawei: register, lookup, status, rekey, decrypt, unregister with --json shapes', async () => {
    const registration = (await json(['register', '-i', 'huawei', '--node-id', 'cli-node-1', '--validity', '0'])) as {
      deviceId: string;
      nodeId: string;
      credentials: { kind: string; verifyCode: string };
    };
    expect(registration).to.include({ nodeId: 'cli-node-1' });
    expect(registration.credentials.kind).to.equal('verification-code');
    expect(await json(['lookup', '-i', 'huawei', '--node-id', 'cli-node-1'])).to.deep.equal({ deviceId: registration.deviceId });
    expect(await json(['status', '-i', 'huawei', '--device-id', registration.deviceId])).to.include({ activated: false, connectivity: 'offline' });
    // Seed 002: a device that has never connected cannot get a new key (100610).
    const early = await run(['rekey', '-i', 'huawei', '--device-id', registration.deviceId, '--verify-code', 'NEWCODE1', '--json']);
    expect(early.code).to.equal(1);
    expect((JSON.parse(early.stdout) as { error: { code: string; vendorCode: string } }).error).to.include({ code: 'DEVICE_NOT_ACTIVE', vendorCode: '100610' });
    await huaweiDeviceSide(`/__sim/device-login`, { nodeId: 'cli-node-1', verifyCode: registration.credentials.verifyCode });
    await huaweiDeviceSide(`/__sim/devices/${registration.deviceId}/disconnect`, {});
    const rekeyed = (await json(['rekey', '-i', 'huawei', '--device-id', registration.deviceId, '--verify-code', 'NEWCODE1'])) as { credentials: { verifyCode: string } };
    expect(rekeyed.credentials.verifyCode).to.equal('NEWCODE1');
    const readable = await run(['status', '-i', 'huawei', '--device-id', registration.deviceId]);
    expect(readable.stdout).to.match(/activated\s+true/).and.match(/connectivity\s+offline/);
    const notJson = await provisio(['decrypt', '-i', 'huawei', '--json'], { cwd: dir, env: info.env, input: 'not json' });
    expect(notJson.code).to.equal(2);
    const plain = await provisio(['decrypt', '-i', 'huawei', '--json'], { cwd: dir, env: info.env, input: JSON.stringify(rekeyed) });
    expect(JSON.parse(plain.stdout)).to.include({ kind: 'verification-code', verifyCode: 'NEWCODE1' });
    expect(await json(['unregister', '-i', 'huawei', '--device-id', registration.deviceId])).to.deep.equal({ deviceId: registration.deviceId, deleted: true });
  });

  it('register takes a PSK from the environment (--psk-env), never from the command line', async () => {
    const result = await run(['register', '-i', 'huawei', '--node-id', 'psk-node', '--psk-env', 'DEVICE_PSK', '--json'], { DEVICE_PSK: '0123456789abcdef0123456789abcdef' });
    expect(result.code, result.stderr).to.equal(0);
    expect((JSON.parse(result.stdout) as { credentials: { psk: string } }).credentials.psk).to.equal('0123456789abcdef0123456789abcdef');
    const unset = await run(['register', '-i', 'huawei', '--node-id', 'psk-node-2', '--psk-env', 'NOT_SET_PSK']);
    expect(unset.code).to.equal(2);
    expect(unset.stderr).to.include('NOT_SET_PSK');
  });

  it('tencent: register returns sealed credentials that decrypt reads from a pipe', async () => {
    const registration = await run(['register', '-i', 'tencent', '--node-id', 'cli_dev_1', '--json']);
    expect(registration.code).to.equal(0);
    expect((JSON.parse(registration.stdout) as { credentials: { kind: string } }).credentials.kind).to.equal('sealed');
    const decrypted = await provisio(['decrypt', '-i', 'tencent', '--json'], { cwd: dir, env: info.env, input: registration.stdout });
    expect(decrypted.code, decrypted.stderr).to.equal(0);
    expect(JSON.parse(decrypted.stdout)).to.include({ kind: 'psk', encoding: 'base64' });
  });

  it('register whose answer is lost says the device may exist and how to get credentials; unregister settled by a lost answer names the device', async () => {
    await huaweiDeviceSide('/__sim/faults', { kind: 'lost-answer', path: 'deviceCredentials' });
    const lost = await run(['register', '-i', 'huawei', '--node-id', '860000000000555', '--json']);
    expect(lost.code).to.equal(1);
    const error = (JSON.parse(lost.stdout) as { error: { code: string; message: string } }).error;
    expect(error.code).to.be.oneOf(['UNAVAILABLE', 'TIMEOUT']);
    expect(error.message).to.include('may have been created').and.include('provisio lookup -i huawei --node-id 860000000000555').and.include('rekey');
    // The advice is right: the device does exist.
    const found = await json(['lookup', '-i', 'huawei', '--node-id', '860000000000555']);
    // A delete whose answer is lost is repeated; the repeat's NOT_FOUND means the first one did it.
    await huaweiDeviceSide('/__sim/faults', { kind: 'lost-answer', path: `devices/${String(found.deviceId)}` });
    const deleted = await run(['unregister', '-i', 'huawei', '--device-id', String(found.deviceId)]);
    expect(deleted.code, deleted.stderr).to.equal(0);
    expect(deleted.stdout.trim()).to.equal(`Deleted ${String(found.deviceId)}`);
  });

  it('distinct exit codes: not found 4, authentication 3, invalid input 2, rate limited 5, other 1', async () => {
    expect((await run(['status', '-i', 'huawei', '--device-id', 'no-such-device'])).code).to.equal(4);
    const wrong = await run(['register', '-i', 'huawei', '--node-id', 'x1'], { PROVISIO_HUAWEI_SECRET: 'wrong-secret-value' });
    expect(wrong.code).to.equal(3);
    expect(wrong.stderr).to.include('AUTHENTICATION_FAILED').and.not.include('wrong-secret-value');
    const badName = await run(['register', '-i', 'tencent', '--node-id', 'bad name!']);
    expect(badName.code).to.equal(2);
    expect(badName.stderr).to.include('request.nodeId');
    const tencentUrl = info.endpoints.find((e) => e.instance === 'tencent')?.url as string;
    await fetch(`${tencentUrl}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'status', status: 429, times: 50, path: 'DescribeDevice' }) });
    expect((await run(['status', '-i', 'tencent', '--device-id', `${String(info.config.instances.tencent?.config.productId)}/x`])).code).to.equal(5);
    await fetch(`${tencentUrl}/__sim/faults`, { method: 'DELETE' });
    await fetch(`${tencentUrl}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'status', status: 503, times: 50, path: 'DescribeDevice' }) });
    const unavailable = await run(['status', '-i', 'tencent', '--device-id', `${String(info.config.instances.tencent?.config.productId)}/x`, '--json']);
    expect(unavailable.code).to.equal(1);
    expect((JSON.parse(unavailable.stdout) as { error: { code: string } }).error.code).to.equal('UNAVAILABLE');
    await fetch(`${tencentUrl}/__sim/faults`, { method: 'DELETE' });
  });
});

describe('cli: configuration errors name the file, the field and the fix', function () {
  this.timeout(30_000);

  it('no configuration file', async () => {
    const result = await provisio(['status', '-i', 'x', '--device-id', 'd'], { cwd: tempDir() });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('provisio.config.json').and.include('provisio simulate --write-config');
  });

  it('a --config path that does not exist, and a file that is not JSON', async () => {
    const dir = tempDir();
    expect((await provisio(['status', '-i', 'x', '--device-id', 'd', '--config', 'nope.json'], { cwd: dir })).stderr).to.include('nope.json').and.include('--config');
    writeFileSync(join(dir, 'provisio.config.json'), '{ "instances": ');
    const bad = await provisio(['status', '-i', 'x', '--device-id', 'd'], { cwd: dir });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('not valid JSON');
  });

  it('JSON syntax errors name the source, line and column and the kind, never the text around them (it may be a secret)', async () => {
    const dir = tempDir();
    const secret = 'MYLITERALSECRET42';
    writeFileSync(join(dir, 'provisio.config.json'), `{\n  "instances": {\n    "secret": ${secret}\n  }\n}\n`);
    const config = await provisio(['status', '-i', 'x', '--device-id', 'd'], { cwd: dir });
    expect(config.code).to.equal(2);
    expect(config.stderr).to.include('provisio.config.json').and.include('line 3, column 15').and.not.include('MYLITERAL');
    const variable = await provisio(['conformance', '@provisio/provider-huawei', '--live', '--json'], { cwd: dir, env: { PROVISIO_CONFORMANCE_CONFIG: `{"secret": ${secret}}` } });
    expect(variable.code, variable.stderr).to.equal(2);
    const error = (JSON.parse(variable.stdout) as { error: { code: string; message: string } }).error;
    expect(error.code).to.equal('INVALID_INPUT');
    expect(error.message).to.include('PROVISIO_CONFORMANCE_CONFIG').and.include('line 1, column 12').and.not.include('MYLITERAL');
    const stdin = await provisio(['decrypt', '-i', 'x'], { cwd: dir, input: `{"credentials": {"psk": ${secret}}}` });
    expect(stdin.code).to.equal(2);
    expect(stdin.stderr).to.include('standard input').and.include('line 1, column 25').and.not.include('MYLITERAL');
    const vendor = await provisio(['register', '-i', 'x', '--node-id', 'n', '--vendor', `{"key": ${secret}}`], { cwd: dir });
    expect(vendor.code).to.equal(2);
    expect(vendor.stderr).to.include('--vendor').and.include('column 9').and.not.include('MYLITERAL');
    // Valid JSON that is not an object is refused too, before any configuration is read.
    const nullVendor = await provisio(['register', '-i', 'x', '--node-id', 'n', '--vendor', 'null', '--json'], { cwd: dir });
    expect(nullVendor.code).to.equal(2);
    expect((JSON.parse(nullVendor.stdout) as { error: { code: string; field: string } }).error).to.include({ code: 'INVALID_INPUT', field: 'vendor' });
  });

  it('a --config that is a directory is named as one', async () => {
    const dir = tempDir();
    const result = await provisio(['lookup', '-i', 'x', '--node-id', 'n', '-c', dir], { cwd: dir });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('is a directory').and.not.include('not valid JSON');
  });

  it('a missing environment variable, an unknown instance, an invalid plugin config', async () => {
    const dir = tempDir();
    const config = {
      instances: {
        hw: { plugin: '@provisio/provider-huawei', config: { baseUrl: 'https://127.0.0.1:1', appId: 'a', secret: '${NOT_SET_ANYWHERE}' } },
      },
    };
    writeFileSync(join(dir, 'provisio.config.json'), JSON.stringify(config));
    const env = await provisio(['status', '-i', 'hw', '--device-id', 'd'], { cwd: dir });
    expect(env.code).to.equal(2);
    expect(env.stderr).to.include('instances.hw.config.secret').and.include('NOT_SET_ANYWHERE').and.include('export');
    const unknown = await provisio(['status', '-i', 'other', '--device-id', 'd'], { cwd: dir, env: { NOT_SET_ANYWHERE: 'x' } });
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include('no instance "other"').and.include('hw');
    writeFileSync(join(dir, 'provisio.config.json'), JSON.stringify({ instances: { hw: { plugin: '@provisio/provider-huawei', config: { appId: 'a', secret: 's' } } } }));
    const invalid = await provisio(['status', '-i', 'hw', '--device-id', 'd'], { cwd: dir });
    expect(invalid.code).to.equal(2);
    expect(invalid.stderr).to.include('instances.hw.config.baseUrl');
  });
});

describe('cli: conformance outside the repository', function () {
  this.timeout(120_000);

  it('finds a built-in plugin from any directory and prints only the JSON report with --json', async () => {
    const dir = tempDir(); // under the OS temp directory: no node_modules with the plugin above it
    const result = await provisio(['conformance', '@provisio/provider-tencent', '--json', '--report-dir', 'reports'], { cwd: dir });
    expect(result.code, result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout) as { plugin: string; failures: number; summary: { pass: number; fail: number }; files: { json: string } };
    expect(report).to.include({ plugin: '@provisio/provider-tencent', failures: 0 });
    expect(report.summary.fail).to.equal(0);
    expect(report.summary.pass).to.be.greaterThan(20);
    expect(report.files.json).to.equal(join(dir, 'reports', 'conformance.json'));
  });
});

describe('cli: demo', function () {
  this.timeout(60_000);

  it('runs the same application on both simulators and prints a side-by-side table', async () => {
    const result = await provisio(['demo'], { cwd: tempDir() });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/step\s+huawei\s+tencent/);
    expect(result.stdout).to.match(/rekey while online\s+DEVICE_ONLINE\s+DEVICE_ONLINE/);
    expect(result.stdout).to.match(/unregister\s+3\/3 deleted; status then NOT_FOUND\s+3\/3 deleted; status then NOT_FOUND/);
  });
});
