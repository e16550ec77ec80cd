import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceReport } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const mochaBin = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');

interface MochaJson {
  stats: { passes: number; failures: number; pending: number };
  failures: Array<{ fullTitle: string; err: { message: string } }>;
  passes: Array<{ fullTitle: string }>;
}

/** Runs a fixture suite in its own mocha process and reads its JSON report. */
function runSuite(file: string): MochaJson {
  const result = spawnSync(process.execPath, [mochaBin, '--no-config', '--reporter', 'json', '--timeout', '20000', join(here, 'fixtures', file)], {
    encoding: 'utf8',
  });
  return JSON.parse(result.stdout) as MochaJson;
}

function failure(json: MochaJson, title: string): string {
  const found = json.failures.find((f) => f.fullTitle.includes(title));
  expect(found, `expected "${title}" to fail; failures: ${json.failures.map((f) => f.fullTitle).join(' | ')}`).to.not.equal(undefined);
  return found?.err.message ?? '';
}

describe('testkit: the suite itself', function () {
  this.timeout(60_000);

  it('passes a correct provider', () => {
    const json = runSuite('good.suite.js');
    expect(json.failures.map((f) => `${f.fullTitle}: ${f.err.message}`)).to.deep.equal([]);
    expect(json.stats.passes).to.be.greaterThan(30);
  });

  it('fails a broken provider with messages that say what is wrong', () => {
    const json = runSuite('broken.suite.js');
    expect(failure(json, 'names only known capabilities')).to.include('teleport');
    expect(failure(json, 'a device that does not exist: NOT_FOUND')).to.include('expected NOT_FOUND, got INTERNAL');
    expect(failure(json, 'an HTTP 503: UNAVAILABLE, retryable true')).to.include('retryable');
    expect(failure(json, 'does not leak them')).to.match(/secret #1 leaked in a UNAVAILABLE error/);
    expect(failure(json, 'rekey: after the device has connected')).to.include('rekey is not implemented');
    expect(failure(json, 'registering a device that has not connected yet again: ALREADY_EXISTS')).to.include('expected the call to fail with ALREADY_EXISTS');
  });

  it('deletes every device it created (the correct provider leaves an empty cloud), and names each one it could not delete', () => {
    const good = runSuite('good.suite.js');
    expect(good.failures.map((f) => f.fullTitle)).to.deep.equal([]);
    const json = runSuite('undeletable.suite.js');
    const message = failure(json, 'after all');
    expect(message).to.match(/could not delete \d+ device\(s\) it created/);
    expect(message).to.include('ACCESS_DENIED').and.include('this cloud keeps its devices').and.match(/\(node conf-/);
  });

  it('tests the default configuration: no scenario asks for an override a user would not have (allowDestructiveRekey)', () => {
    const json = runSuite('overrides.suite.js');
    expect(json.failures.map((f) => `${f.fullTitle}: ${f.err.message}`)).to.deep.equal([]);
  });

  it('reports declared known failures as such, and fails a known failure that passes', () => {
    const json = runSuite('known-failures.suite.js');
    const titles = json.failures.map((f) => f.fullTitle);
    expect(titles.some((t) => t.includes('rekey: after the device has connected'))).to.equal(false);
    expect(failure(json, 'unregister: deletes the device')).to.include('remove it from knownFailures');
  });

  it('formats a capability matrix, JSON and JUnit', () => {
    const report = new ConformanceReport();
    report.add({ provider: 'p', group: 'register', title: 'a <b>', status: 'pass' });
    report.add({ provider: 'p', group: 'rekey', title: 'c', status: 'known-fail', message: 'x' });
    report.add({ provider: 'p', group: 'status', title: 'd', status: 'skip', message: 'not claimed' });
    report.add({ provider: 'p', group: 'status', title: 'e', status: 'fail', message: 'boom & bust' });
    const matrix = report.formatMatrix();
    expect(matrix).to.match(/register\s+1\s+0\s+0\s+0\s+pass/);
    expect(matrix).to.match(/status\s+0\s+1\s+1\s+0\s+FAIL/);
    expect(report.toJSON().summary).to.deep.equal({ pass: 1, fail: 1, skip: 1, 'known-fail': 1 });
    const junit = report.toJUnit();
    expect(junit).to.include('tests="4" failures="1" skipped="2"').and.include('a &lt;b&gt;').and.include('boom &amp; bust');
    expect(report.failed).to.equal(1);
  });
});
