import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onTerminal, provisio, shell, startProvisio, tempDir } from './helpers.js';

/**
 * The CLI as users run it: a separate `provisio simulate` process with the rate limits of the
 * configuration it writes, commands joined by real shell pipes with a slow reader or writer, a
 * reader that exits early, and a pseudo-terminal for the progress bar.
 */

interface Simulated {
  env: Record<string, string>;
  envFile: string;
}

const SHOW_CURSOR = '\x1b[?25h';
const HIDE_CURSOR = '\x1b[?25l';

describe('cli: real conditions (simulator in another process, shell pipes, a terminal)', function () {
  this.timeout(120_000);
  let dir: string;
  let sim: ChildProcess;
  let info: Simulated;
  const sh = (script: string, env: Record<string, string> = {}) => shell(script, { cwd: dir, env: { ...info.env, ...env } });

  before(async () => {
    dir = tempDir();
    const started = await startProvisio(['simulate', '--write-config', 'provisio.config.json', '--json'], dir);
    sim = started.child;
    info = JSON.parse(started.firstLine) as Simulated;
  });
  after(() => {
    sim?.kill('SIGTERM');
  });

  describe('pipes: register --json | decrypt', () => {
    it('the README pipeline works as written, and with a reader that starts late', async () => {
      const asWritten = await sh('provisio register -i tencent --node-id pipe_readme --json | provisio decrypt -i tencent');
      expect(asWritten.code, asWritten.stderr).to.equal(0);
      expect(asWritten.stdout).to.match(/credentials\s+psk/);
      const result = await sh('provisio register -i tencent --node-id pipe_late_reader --json | tee reg.json | (sleep 1; provisio decrypt -i tencent --json)');
      expect(result.code, result.stderr).to.equal(0);
      const plain = JSON.parse(result.stdout) as { kind: string; psk: string; encoding: string };
      expect(plain).to.include({ kind: 'psk', encoding: 'base64' });
      // The same sealed answer, decrypted from the file tee kept, gives the same PSK.
      const again = await provisio(['decrypt', '-i', 'tencent', '--input', 'reg.json', '--json'], { cwd: dir, env: info.env });
      expect((JSON.parse(again.stdout) as { psk: string }).psk).to.equal(plain.psk);
    });

    it('decrypt waits for a writer that is slow to start (the EAGAIN failure) and for input in chunks', async () => {
      const slowStart = await sh('(sleep 1; provisio register -i tencent --node-id pipe_slow_writer --json) | provisio decrypt -i tencent --json');
      expect(slowStart.code, slowStart.stderr).to.equal(0);
      expect(JSON.parse(slowStart.stdout)).to.include({ kind: 'psk' });

      const registered = await sh('provisio register -i tencent --node-id pipe_chunked --json > chunked.json');
      expect(registered.code, registered.stderr).to.equal(0);
      const whole = await provisio(['decrypt', '-i', 'tencent', '--input', 'chunked.json', '--json'], { cwd: dir, env: info.env });
      const chunked = await sh('{ head -c 17 chunked.json; sleep 1; tail -c +18 chunked.json | head -c 40; sleep 1; tail -c +58 chunked.json; } | provisio decrypt -i tencent --json');
      expect(chunked.code, chunked.stderr).to.equal(0);
      expect(chunked.stdout).to.equal(whole.stdout);
    });

    it('a writer that failed: an empty pipe or its --json error says so, exit 2', async () => {
      const empty = await sh('provisio register -i tencent --node-id "bad name!" 2>/dev/null | provisio decrypt -i tencent');
      expect(empty.code).to.equal(2);
      expect(empty.stderr).to.include('empty').and.include('register result');
      const error = await sh('provisio register -i tencent --node-id "bad name!" --json | provisio decrypt -i tencent');
      expect(error.code).to.equal(2);
      expect(error.stderr).to.include('the command before the pipe failed').and.include('INVALID_INPUT');
    });
  });

  describe('a reader that exits before reading', () => {
    it('register: a clear error, exit 1, no stack; the issued credentials are in a 0600 recovery file, not on stderr', async () => {
      // `true` exits at once, long before register has its answer: the write meets a closed pipe.
      const piped = await sh('{ provisio register -i tencent --node-id closed_reader --json 2>err.txt; echo $? > rc.txt; } | true');
      expect(piped.code).to.equal(0);
      const stderr = readFileSync(join(dir, 'err.txt'), 'utf8');
      expect(readFileSync(join(dir, 'rc.txt'), 'utf8').trim()).to.equal('1');
      expect(stderr).to.include('EPIPE').and.include('saved in').and.not.include('node:events').and.not.include('    at ');
      const saved = /saved in (\S+) \(mode 0600/.exec(stderr)?.[1] as string;
      expect(saved, stderr).to.be.a('string');
      expect(statSync(saved).mode & 0o777).to.equal(0o600);
      expect(statSync(join(saved, '..')).mode & 0o777).to.equal(0o700);
      const registration = JSON.parse(readFileSync(saved, 'utf8')) as { nodeId: string; deviceId: string; credentials: { kind: string; payload: string } };
      expect(registration.nodeId).to.equal('closed_reader');
      expect(registration.credentials.kind).to.equal('sealed');
      expect(stderr).to.include(registration.deviceId).and.not.include(registration.credentials.payload);
      // What the file holds is usable: it decrypts to the device's PSK.
      const plain = await provisio(['decrypt', '-i', 'tencent', '--input', saved, '--json'], { cwd: dir, env: info.env });
      expect(plain.code, plain.stderr).to.equal(0);
      expect(JSON.parse(plain.stdout)).to.include({ kind: 'psk' });
    });

    it('decrypt into a closed pipe saves the plain credentials too (they may exist nowhere else); PROVISIO_RECOVERY_DIR picks the folder', async () => {
      const result = await sh(
        'provisio register -i tencent --node-id closed_decrypt --json | { provisio decrypt -i tencent --json 2>err2.txt; echo $? > rc2.txt; } | true',
        { PROVISIO_RECOVERY_DIR: join(dir, 'rescued') },
      );
      expect(result.code).to.equal(0);
      expect(readFileSync(join(dir, 'rc2.txt'), 'utf8').trim()).to.equal('1');
      const files = readdirSync(join(dir, 'rescued'));
      expect(files).to.have.length(1);
      const plain = JSON.parse(readFileSync(join(dir, 'rescued', files[0] as string), 'utf8')) as { kind: string; psk: string };
      expect(plain.kind).to.equal('psk');
      expect(readFileSync(join(dir, 'err2.txt'), 'utf8')).to.include('EPIPE').and.not.include(plain.psk);
    });

    it('a command without credentials (lookup | true) exits 1 with a clear message, no stack', async () => {
      await sh('provisio register -i huawei --node-id 860000000000777 --json > /dev/null');
      await sh('{ provisio lookup -i huawei --node-id 860000000000777 2>err3.txt; echo $? > rc3.txt; } | true');
      expect(readFileSync(join(dir, 'rc3.txt'), 'utf8').trim()).to.equal('1');
      const stderr = readFileSync(join(dir, 'err3.txt'), 'utf8');
      expect(stderr).to.include('standard output was closed').and.not.include('node:events');
    });

    it('a --json error into a closed pipe is written to stderr, not lost', async () => {
      await sh('{ provisio status -i huawei --device-id nonexist --json 2>err4.txt; echo $? > rc4.txt; } | true');
      // The command's own failure (not found), not the closed pipe, decides the exit code.
      expect(readFileSync(join(dir, 'rc4.txt'), 'utf8').trim()).to.equal('4');
      const stderr = readFileSync(join(dir, 'err4.txt'), 'utf8');
      expect(stderr).to.include('NOT_FOUND').and.not.include('node:events');
    });
  });

  describe('bulk on a terminal', () => {
    it('a setup error (no configuration) exits at once with the cursor shown again', async () => {
      const empty = tempDir();
      writeFileSync(join(empty, 'devices.csv'), 'nodeId\n860000000000901\n');
      const result = await onTerminal(['bulk', '-i', 'huawei', '--input', 'devices.csv', '--output', 'creds.jsonl'], { cwd: empty, timeoutMs: 20_000 });
      expect(result.code, `killed after 20 s: the process hung\n${result.stdout}`).to.equal(2);
      expect(result.stdout).to.include('provisio.config.json');
      expect(result.stdout.lastIndexOf(SHOW_CURSOR)).to.be.greaterThan(result.stdout.lastIndexOf(HIDE_CURSOR));
    });

    it('a run that succeeds exits with the cursor shown again', async () => {
      const rows = Array.from({ length: 20 }, (_, i) => `86000000000${String(1000 + i)}`);
      writeFileSync(join(dir, 'tty-devices.csv'), `nodeId,validitySeconds\n${rows.map((r) => `${r},0`).join('\n')}\n`);
      const result = await onTerminal(['bulk', '-i', 'huawei', '--input', 'tty-devices.csv', '--output', 'tty-creds.jsonl'], { cwd: dir, env: info.env });
      expect(result.code, result.stdout).to.equal(0);
      expect(result.stdout).to.include(HIDE_CURSOR).and.include('Registered 20');
      expect(result.stdout.lastIndexOf(SHOW_CURSOR)).to.be.greaterThan(result.stdout.lastIndexOf(HIDE_CURSOR));
    });
  });

  it('decrypt on a terminal says what it expects, then reads what is typed up to Ctrl-D', async () => {
    const registered = await sh('provisio register -i tencent --node-id typed_in --json > typed.json');
    expect(registered.code, registered.stderr).to.equal(0);
    const typed = readFileSync(join(dir, 'typed.json'), 'utf8').replace(/\n/g, ' ');
    const result = await onTerminal(['decrypt', '-i', 'tencent', '--json'], { cwd: dir, env: info.env, input: `${typed}\n\x04`, timeoutMs: 20_000 });
    expect(result.code, result.stdout).to.equal(0);
    expect(result.stdout).to.include('paste the JSON of a register result').and.include('"kind": "psk"');
    expect(existsSync(join(dir, '.provisio', 'recovered'))).to.equal(false);
  });
});
