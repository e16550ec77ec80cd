import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlugin, type RunningSimulator } from '@provisio/core';
import { BIN, provisio, tempDir } from './helpers.js';

interface CredentialLine {
  line: number;
  nodeId: string;
  deviceId: string;
  recovered?: boolean;
}

async function simulatorFor(plugin: string): Promise<RunningSimulator> {
  const loaded = await loadPlugin(plugin);
  // No flow control: this file checks CSV/JSONL parsing, row validation, exit codes and file modes;
  // the same bulk with limits on, in another process and killed with -9, is real-conditions-bulk.test.ts.
  return (loaded.simulator as NonNullable<typeof loaded.simulator>).start({ rateLimit: false }); // why: see above
}

function writeConfig(dir: string, instance: string, plugin: string, simulator: RunningSimulator): void {
  writeFileSync(join(dir, 'provisio.config.json'), JSON.stringify({ instances: { [instance]: { plugin, config: simulator.instanceConfig() } } }));
}

function credentialLines(file: string): CredentialLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CredentialLine);
}

describe('cli: bulk', function () {
  this.timeout(120_000);
  let simulator: RunningSimulator;
  let dir: string;

  beforeEach(async () => {
    dir = tempDir();
    simulator = await simulatorFor('@provisio/provider-huawei');
    writeConfig(dir, 'huawei', '@provisio/provider-huawei', simulator);
  });
  afterEach(async () => simulator.stop());

  it('reports invalid rows with their line numbers, skips them, and writes credentials with mode 0600', async () => {
    writeFileSync(
      join(dir, 'devices.csv'),
      ['nodeId,name,psk,validitySeconds', 'dev-1,first,,0', ',no node,,', 'dev-3,third,nothex!,', 'dev-4,fourth,,abc', 'dev-1,duplicate,,', 'dev-6,sixth,,60', ''].join('\n'),
    );
    const result = await provisio(['bulk', '-i', 'huawei', '--input', 'devices.csv', '--output', 'creds.jsonl', '--json'], { cwd: dir });
    expect(result.code, 'skipped rows show in the exit code').to.equal(2);
    const summary = JSON.parse(result.stdout) as { registered: number; invalid: number; invalidRows: Array<{ line: number; message: string }> };
    expect(summary.registered).to.equal(2);
    expect(summary.invalidRows.map((r) => r.line)).to.deep.equal([3, 4, 5, 6]);
    expect(summary.invalidRows.find((r) => r.line === 4)?.message).to.include('psk');
    expect(summary.invalidRows.find((r) => r.line === 6)?.message).to.include('appears earlier');
    expect(statSync(join(dir, 'creds.jsonl')).mode & 0o777).to.equal(0o600);
    expect(credentialLines(join(dir, 'creds.jsonl')).map((c) => c.nodeId)).to.have.members(['dev-1', 'dev-6']);
  });

  it('skipped rows show in the exit code: 7 of 10 rows invalid exits 2; an unknown CSV column exits 2 before any call', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => (i < 3 ? `ok-${i},0` : `bad-${i},not-a-number`));
    writeFileSync(join(dir, 'devices.csv'), `nodeId,validitySeconds\n${rows.join('\n')}\n`);
    const result = await provisio(['bulk', '-i', 'huawei', '--input', 'devices.csv', '--output', 'creds.jsonl'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).to.equal(2);
    expect(result.stdout).to.include('Registered 3').and.include('invalid 7');
    expect(credentialLines(join(dir, 'creds.jsonl'))).to.have.length(3);

    writeFileSync(join(dir, 'columns.csv'), 'nodeId,nodeid2\nx-1,y\n');
    const before = await simulator.backend.requestCount();
    const columns = await provisio(['bulk', '-i', 'huawei', '--input', 'columns.csv', '--output', 'columns.jsonl'], { cwd: dir });
    expect(columns.code).to.equal(2);
    expect(columns.stderr).to.include('unknown CSV column(s) nodeid2');
    expect(await simulator.backend.requestCount()).to.equal(before);
  });

  it('a malformed CSV record (unclosed quote, more fields than the header) is an invalid row with its line; the rows before and after keep their credentials (exit 2)', async () => {
    // The new-user report: 3 valid rows, then an unclosed quote on line 5 aborted the run with a
    // raw parser error (exit 1, code INTERNAL) after the 3 devices were created, and their
    // credentials were never written.
    writeFileSync(join(dir, 'quote.csv'), ['nodeId,name', '869000000000001,a', '869000000000002,b', '869000000000003,c', '869000000000009,"unclosed', ''].join('\n'));
    const quote = await provisio(['bulk', '-i', 'huawei', '--input', 'quote.csv', '--output', 'quote.jsonl', '--json'], { cwd: dir });
    expect(quote.code, quote.stderr).to.equal(2);
    const summary = JSON.parse(quote.stdout) as { registered: number; invalidRows: Array<{ line: number; code: string; message: string }> };
    expect(summary.registered).to.equal(3);
    expect(summary.invalidRows).to.have.length(1);
    expect(summary.invalidRows[0]).to.include({ line: 5, code: 'INVALID_INPUT' });
    expect(summary.invalidRows[0]?.message).to.include('quoted field is never closed');
    expect(credentialLines(join(dir, 'quote.jsonl')).map((c) => c.nodeId)).to.have.members(['869000000000001', '869000000000002', '869000000000003']);

    // An extra field was silently dropped; a quote that swallows the next lines names them.
    const psk = 'A1B2C3D4E5F60718293A4B5C6D7E8F90';
    writeFileSync(join(dir, 'fields.csv'), ['nodeId,name', 'f-1,a', `f-2,b,${psk}`, 'f-3', 'f-4,"open', 'f-5,e', ''].join('\n'));
    const fields = await provisio(['bulk', '-i', 'huawei', '--input', 'fields.csv', '--output', 'fields.jsonl'], { cwd: dir });
    expect(fields.code, fields.stderr).to.equal(2);
    expect(fields.stdout).to.include('more fields than the header').and.include('lines 5-6');
    expect(fields.stdout + fields.stderr, 'the skipped record\'s values are not echoed').to.not.include(psk);
    expect(credentialLines(join(dir, 'fields.jsonl')).map((c) => c.nodeId)).to.have.members(['f-1', 'f-3']);
  });

  it('a cloud that echoes a row\'s PSK and verify code in its error: neither appears in the failure table, --json or the journal\'s fail records (13.7)', async () => {
    const psk = 'A1B2C3D4E5F60718293A4B5C6D7E8F90';
    const verifyCode = 'ROWCODE-55713';
    writeFileSync(join(dir, 'echo.csv'), ['nodeId,verifyCode,psk', `echo-1,${verifyCode},${psk}`].join('\n'));
    const echo = `{"error_code":"50252","error_desc":"Internal server error for verify code ${verifyCode} with psk ${psk}"}`;
    await simulator.backend?.injectFault({ kind: 'status', status: 500, body: echo, path: 'deviceCredentials', times: 20 });
    const table = await provisio(['bulk', '-i', 'huawei', '--input', 'echo.csv', '--output', 'echo.jsonl'], { cwd: dir });
    expect(table.code, table.stderr).to.equal(1);
    expect(table.stdout + table.stderr).to.include('Failures').and.include('[REDACTED]');
    const json = await provisio(['bulk', '-i', 'huawei', '--input', 'echo.csv', '--output', 'echo2.jsonl', '--json'], { cwd: dir });
    expect(json.code).to.equal(1);
    const failRecords = [readFileSync(join(dir, 'echo.jsonl.journal'), 'utf8'), readFileSync(join(dir, 'echo2.jsonl.journal'), 'utf8')]
      .join('\n')
      .split('\n')
      .filter((l) => l.includes('"t":"fail"'));
    expect(failRecords.length).to.be.greaterThan(0);
    for (const text of [table.stdout, table.stderr, json.stdout, json.stderr, ...failRecords]) {
      expect(text).to.not.include(psk);
      expect(text).to.not.include(verifyCode);
    }
  });

  it('--strict checks the whole input before any call: an invalid row and nothing is sent (exit 2); JSONL input works', async () => {
    // A row with a literal (unquoted) PSK: the report names the column, never the text around it.
    writeFileSync(join(dir, 'devices.jsonl'), ['{"nodeId":"j-1"}', '{"nodeId":"j-2","psk":SECRETPSK0123}', '{"nodeId":"j-3"}'].join('\n'));
    const result = await provisio(['bulk', '-i', 'huawei', '--input', 'devices.jsonl', '--output', 'creds.jsonl', '--strict', '--concurrency', '1'], { cwd: dir });
    expect(result.code).to.equal(2);
    expect(result.stdout).to.include('Invalid rows').and.include('not valid JSON (column 23').and.include('--strict stopped the run');
    expect(result.stdout + result.stderr).to.not.include('SECRETPSK');
    expect(credentialLines(join(dir, 'creds.jsonl'))).to.deep.equal([]);
    // Once the input is fixed, the same command registers every row.
    writeFileSync(join(dir, 'devices.jsonl'), ['{"nodeId":"j-1"}', '{"nodeId":"j-2"}', '{"nodeId":"j-3"}'].join('\n'));
    const fixed = await provisio(['bulk', '-i', 'huawei', '--input', 'devices.jsonl', '--output', 'creds.jsonl', '--strict'], { cwd: dir });
    expect(fixed.code, fixed.stderr).to.equal(0);
    expect(credentialLines(join(dir, 'creds.jsonl')).map((c) => c.nodeId)).to.have.members(['j-1', 'j-2', 'j-3']);
  });

  it('--strict with the default concurrency (8): no call for any row once a row is invalid, every invalid line listed, exit 2 even where calls would fail', async () => {
    // The new-user report: line 3 invalid, and lines 4-9 were registered anyway; with failing
    // calls in the file the exit code was 1 instead of 2.
    const rows = Array.from({ length: 12 }, (_, i) => (i === 1 ? `s-${i},abc,` : i === 6 ? `s-${i},0,nothex!` : `s-${i},0,`));
    writeFileSync(join(dir, 'strict.csv'), `nodeId,validitySeconds,psk\n${rows.join('\n')}\n`);
    await simulator.backend?.injectFault({ kind: 'status', status: 500, body: '{"error_code":"50252","error_desc":"Internal server error"}', path: 'deviceCredentials', times: 5 });
    const before = await simulator.backend.requestCount();
    const result = await provisio(['bulk', '-i', 'huawei', '--input', 'strict.csv', '--output', 'strict.jsonl', '--strict', '--json'], { cwd: dir });
    expect(result.code, result.stderr).to.equal(2);
    expect(await simulator.backend.requestCount(), 'not one call').to.equal(before);
    const summary = JSON.parse(result.stdout) as { registered: number; stoppedEarly: boolean; invalidRows: Array<{ line: number; message: string }> };
    expect(summary).to.include({ registered: 0, stoppedEarly: true });
    expect(summary.invalidRows.map((r) => r.line), 'the reader\'s check (line 3) and the provider\'s pre-call check (line 8)').to.deep.equal([3, 8]);
    expect(summary.invalidRows[1]?.message).to.include('psk');
    expect(credentialLines(join(dir, 'strict.jsonl'))).to.deep.equal([]);
  });

  it('a second run of the same command registers nothing twice', async () => {
    writeFileSync(join(dir, 'devices.jsonl'), Array.from({ length: 50 }, (_, i) => JSON.stringify({ nodeId: `again-${i}` })).join('\n'));
    const args = ['bulk', '-i', 'huawei', '--input', 'devices.jsonl', '--output', 'creds.jsonl', '--json'];
    const first = JSON.parse((await provisio(args, { cwd: dir })).stdout) as { registered: number };
    const second = JSON.parse((await provisio(args, { cwd: dir })).stdout) as { registered: number; skipped: number; resumedRun: boolean };
    expect(first.registered).to.equal(50);
    expect(second).to.include({ registered: 0, skipped: 50, resumedRun: true });
    expect(credentialLines(join(dir, 'creds.jsonl'))).to.have.length(50);
  });

  it('a finished run leaves the credentials only in the output: the journal is compacted (no credentials, 0600) and still makes a re-run skip every device', async () => {
    // The journal used to keep a full second copy of every credential (PSKs, private keys) for good.
    writeFileSync(join(dir, 'devices.jsonl'), Array.from({ length: 20 }, (_, i) => JSON.stringify({ nodeId: `compact-${i}` })).join('\n'));
    const args = ['bulk', '-i', 'huawei', '--input', 'devices.jsonl', '--output', 'creds.jsonl'];
    const first = await provisio(args, { cwd: dir });
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.include('holds none').and.include('delete both once the credentials are imported');
    const out = readFileSync(join(dir, 'creds.jsonl'), 'utf8');
    const psks = credentialLines(join(dir, 'creds.jsonl')).map((c) => (c as unknown as { credentials: { psk: string } }).credentials.psk);
    expect(psks).to.have.length(20);
    expect(out).to.include(psks[0]);
    const journal = readFileSync(join(dir, 'creds.jsonl.journal'), 'utf8');
    expect(journal).to.not.include('"cred"');
    for (const psk of psks) expect(journal).to.not.include(psk);
    expect(journal.split('\n').filter((l) => l.includes('"t":"done"'))).to.have.length(20);
    expect(statSync(join(dir, 'creds.jsonl.journal')).mode & 0o777).to.equal(0o600);

    const again = JSON.parse((await provisio([...args, '--json'], { cwd: dir })).stdout) as { registered: number; skipped: number; journalHoldsCredentials: boolean };
    expect(again).to.include({ registered: 0, skipped: 20, journalHoldsCredentials: false });
    // The credentials file imported and deleted, the journal kept: still nothing registered twice.
    writeFileSync(join(dir, 'creds.jsonl'), '');
    const afterImport = JSON.parse((await provisio([...args, '--json'], { cwd: dir })).stdout) as { registered: number; skipped: number };
    expect(afterImport).to.include({ registered: 0, skipped: 20 });
    const devices = (await (await fetch(`${simulator.url}/__sim/devices`)).json()) as unknown[];
    expect(devices).to.have.length(20);
  });
});

/** Runs bulk, kills it with SIGKILL after `killAfterMs` (or lets it finish), resolves with its exit code. */
function bulkRun(dir: string, instance: string, killAfterMs?: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'bulk', '-i', instance, '--input', 'devices.jsonl', '--output', 'creds.jsonl', '--concurrency', '16'], { cwd: dir });
    child.stdout.resume();
    child.stderr.resume();
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve(code);
    });
  });
}

for (const [instance, plugin] of [
  ['huawei', '@provisio/provider-huawei'],
  ['tencent', '@provisio/provider-tencent'],
] as const) {
  describe(`cli: bulk survives kill -9 (${instance})`, function () {
    this.timeout(600_000);

    it('2,000 devices, killed at random moments and resumed until done: exactly 2,000 devices and credential lines', async () => {
      const dir = tempDir();
      const simulator = await simulatorFor(plugin);
      try {
        writeConfig(dir, instance, plugin, simulator);
        writeFileSync(join(dir, 'devices.jsonl'), Array.from({ length: 2000 }, (_, i) => JSON.stringify({ nodeId: `bulk-${i}` })).join('\n'));
        // Kill points from a fixed seed, so a failure can be replayed.
        let seed = instance === 'huawei' ? 7 : 11;
        const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
        let kills = 0;
        for (; kills < 6; kills++) {
          const code = await bulkRun(dir, instance, 350 + Math.floor(random() * 700));
          if (code === 0) break;
        }
        expect(await bulkRun(dir, instance)).to.equal(0);
        const lines = credentialLines(join(dir, 'creds.jsonl'));
        expect(lines).to.have.length(2000);
        expect(new Set(lines.map((l) => l.nodeId)).size).to.equal(2000);
        expect(new Set(lines.map((l) => l.deviceId)).size).to.equal(2000);
        const devices = (await (await fetch(`${simulator.url}/__sim/devices`)).json()) as unknown[];
        expect(devices).to.have.length(2000);
        expect(kills, 'the run was interrupted at least once').to.be.greaterThan(0);
        expect(readFileSync(join(dir, 'creds.jsonl.journal'), 'utf8'), 'the finished run compacted the journal').to.not.include('"cred"');
        const recovered = lines.filter((l) => l.recovered).length;
        console.log(`      ${instance}: ${kills} kills, ${recovered} devices recovered after a lost answer`);
      } finally {
        await simulator.stop();
      }
    });
  });
}
