import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AwsSimulator, SIMULATOR_API_TPS } from '../src/index.js';
import { deviceCsr } from './helpers.js';

/** The CLI as npm links it; nothing in it names this provider. */
const BIN = fileURLToPath(new URL('../../../cli/bin/provisio.js', import.meta.url));

function provisio(args: string[], cwd: string, env: Record<string, string>, unset: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of unset) delete childEnv[name];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('aws through the provisio CLI (a child process; the simulator in this one)', () => {
  let simulator: AwsSimulator;
  let dir: string;
  let env: Record<string, string>;

  before(async () => {
    simulator = await AwsSimulator.start({ apiTps: SIMULATOR_API_TPS });
    const key = simulator.keys[0] as { accessKeyId: string; secretAccessKey: string };
    dir = mkdtempSync(join(tmpdir(), 'provisio-aws-cli-'));
    env = { AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey };
    // Credentials as ${ENV} references, as a config file should hold them.
    const config = {
      region: simulator.region,
      endpoint: simulator.url,
      credentials: { accessKeyId: '${AWS_ACCESS_KEY_ID}', secretAccessKey: '${AWS_SECRET_ACCESS_KEY}' },
      policyName: [...simulator.policies][0],
      apiRateLimits: SIMULATOR_API_TPS,
    };
    writeFileSync(join(dir, 'provisio.config.json'), JSON.stringify({ instances: { aws: { plugin: '@provisio/provider-aws', config } } }));
  });

  after(async () => simulator.stop());

  it('register (CSR mode through --vendor), status, unregister', async () => {
    const { csr } = await deviceCsr('cli-1');
    const registered = await provisio(['register', '-i', 'aws', '--node-id', 'cli-1', '--vendor', JSON.stringify({ csr }), '--json'], dir, env);
    expect(registered.code, registered.stderr).to.equal(0);
    const out = JSON.parse(registered.stdout) as { deviceId: string; credentials: { kind: string; privateKey?: string } };
    expect(out.deviceId).to.equal('cli-1');
    expect(out.credentials.kind).to.equal('x509');
    expect(out.credentials.privateKey).to.equal(undefined);
    const status = await provisio(['status', '-i', 'aws', '--device-id', 'cli-1', '--json'], dir, env);
    expect(status.code, status.stderr).to.equal(0);
    expect(JSON.parse(status.stdout)).to.include({ activated: false, connectivity: 'offline' });
    const gone = await provisio(['unregister', '-i', 'aws', '--device-id', 'cli-1'], dir, env);
    expect(gone.code, gone.stderr).to.equal(0);
    expect(simulator.thing('cli-1')).to.equal(undefined);
  });

  it('register in table mode: bounded columns, the certificate and key printed whole with \\n line ends', async () => {
    const result = await provisio(['register', '-i', 'aws', '--node-id', 'cli-table-1'], dir, env);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.not.include('\r');
    const longest = Math.max(...result.stdout.split('\n').map((l) => l.length));
    expect(longest, 'longest line').to.be.at.most(100);
    const certificate = /-----BEGIN CERTIFICATE-----\n[\s\S]+?\n-----END CERTIFICATE-----/.exec(result.stdout)?.[0] as string;
    const key = /-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+?\n-----END RSA PRIVATE KEY-----/.exec(result.stdout)?.[0] as string;
    // What is printed is usable as is: the key matches the certificate.
    expect(new X509Certificate(certificate).checkPrivateKey(createPrivateKey(key))).to.equal(true);
  });

  it('a secret that is not exported: the variable is named, nothing is sent', async () => {
    const before = simulator.requestCount;
    const result = await provisio(['lookup', '-i', 'aws', '--node-id', 'x'], dir, { AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID as string }, ['AWS_SECRET_ACCESS_KEY']);
    expect(result.code).to.not.equal(0);
    expect(result.stderr).to.include('AWS_SECRET_ACCESS_KEY');
    expect(simulator.requestCount).to.equal(before);
  });

  it('bulk: every row a thing with an attached certificate, credentials in the output file', async () => {
    writeFileSync(join(dir, 'devices.csv'), `nodeId\n${Array.from({ length: 12 }, (_, i) => `bulk-${i}`).join('\n')}\n`);
    const result = await provisio(['bulk', '-i', 'aws', '--input', 'devices.csv', '--output', 'creds.jsonl', '--json'], dir, env);
    expect(result.code, result.stderr).to.equal(0);
    const lines = readFileSync(join(dir, 'creds.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { nodeId: string; credentials: { kind: string; privateKey?: string } });
    expect(lines).to.have.length(12);
    for (const line of lines) {
      expect(line.credentials.kind).to.equal('x509');
      expect(line.credentials.privateKey).to.match(/BEGIN RSA PRIVATE KEY/);
      expect(simulator.thing(line.nodeId)?.principals.size).to.equal(1);
    }
  });

  it('a register that fails part-way (AttachPolicy denied) saves the issued certificate and key to a 0600 recovery file and names it', async () => {
    const recoveryDir = join(dir, 'recovered-part-way');
    // Every call after AttachThingPrincipal is denied: AttachPolicy fails and the undo cannot deactivate the certificate.
    await fetch(`${simulator.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'vendor', code: 'UnauthorizedException', status: 403, path: 'AttachPolicy' }) });
    await fetch(`${simulator.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'vendor', code: 'UnauthorizedException', status: 403, path: 'UpdateCertificate', times: 10 }) });
    const failed = await provisio(['register', '-i', 'aws', '--node-id', 'part-way-1', '--json'], dir, { ...env, PROVISIO_RECOVERY_DIR: recoveryDir });
    await fetch(`${simulator.url}/__sim/faults`, { method: 'DELETE' });
    expect(failed.code, failed.stderr).to.equal(3);
    const error = (JSON.parse(failed.stdout) as { error: { code: string; message: string; hasRecoveredCredentials: boolean; details: { recoveryFile: string; undone: string[] } } }).error;
    expect(error.code).to.equal('ACCESS_DENIED');
    expect(error.hasRecoveredCredentials).to.equal(true);
    // The message says the certificate is attached to nothing: details say the detach was undone.
    expect(error.message).to.include('attached to nothing');
    expect(error.details.undone).to.deep.equal([`certificate ${error.message.match(/certificate ([0-9a-f]{64})/)?.[1]} detached from thing part-way-1`]);
    const files = readdirSync(recoveryDir);
    expect(files).to.have.length(1);
    const file = join(recoveryDir, files[0] as string);
    expect(error.details.recoveryFile).to.equal(file);
    expect(error.message).to.include(file);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { deviceId: string; credentials: { kind: string; certificate: string; privateKey: string }; raw: { certificateId: string } };
    expect(saved.deviceId).to.equal('part-way-1');
    expect(saved.credentials.privateKey).to.match(/BEGIN RSA PRIVATE KEY/);
    // The saved certificate is the one still ACTIVE on AWS; its key is printed nowhere.
    expect(simulator.certificate(saved.raw.certificateId)?.status).to.equal('ACTIVE');
    expect(failed.stdout + failed.stderr).to.not.include(saved.credentials.privateKey.split('\n')[1]);
  });
});
