import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Mocha from 'mocha';
import { loadPlugin } from '@provisio/core';

export { resolveEnvReferences } from '@provisio/core';
import { harnessFromPlugin } from '../plugin-harness.js';
import { ConformanceReport } from '../report.js';
import { runConformance } from '../suite.js';

export interface RunnerOptions {
  /** Plugin package name, resolved from `resolveFrom` (first match wins). */
  plugin: string;
  resolveFrom?: string | string[];
  /** Instance config for a real cloud; when absent, the plugin's simulator is started. */
  liveConfig?: Record<string, unknown>;
  knownFailures?: string[];
  /** Where report.json and junit.xml go. */
  reportDir: string;
  /** Mocha reporter name; `false` runs silently (for callers that print JSON themselves). */
  reporter?: string | false;
  /** Per-test time budget before flow control (the suite's default: 30 s). */
  timeoutMs?: number;
  /** Where the matrix is printed. */
  out?: (text: string) => void;
}

export interface RunnerResult {
  report: ConformanceReport;
  failures: number;
  files: { json: string; junit: string };
}

/** Runs the suite in a mocha of its own, prints the capability matrix, writes JSON and JUnit. */
export async function runConformanceCli(options: RunnerOptions): Promise<RunnerResult> {
  const out = options.out ?? ((text: string) => process.stdout.write(`${text}\n`));
  // Fail fast, before any test runs, on what the user must fix.
  const plugin = await loadPlugin(options.plugin, options.resolveFrom);
  if (!options.liveConfig && !plugin.simulator) {
    throw new Error(`${plugin.name} offers no simulator: run the suite against a real cloud with --live`);
  }
  // Base only counts: no test-by-test output on stdout.
  const reporter = options.reporter === false ? Mocha.reporters.Base : (options.reporter ?? 'spec');
  const mocha = new Mocha({ reporter, timeout: 60_000 });
  // Installs describe/it as globals for this mocha, as a spec file would see them.
  mocha.suite.emit('pre-require', globalThis, 'provisio-conformance', mocha);
  const report = new ConformanceReport();
  runConformance(
    harnessFromPlugin(plugin, {
      name: plugin.name,
      knownFailures: options.knownFailures,
      live: options.liveConfig ? { config: options.liveConfig } : undefined,
    }),
    { report, timeoutMs: options.timeoutMs },
  );
  const failures = await new Promise<number>((done) => mocha.run(done));
  out(`\n${report.formatMatrix()}`);
  const dir = resolve(options.reportDir);
  mkdirSync(dir, { recursive: true });
  const files = { json: join(dir, 'conformance.json'), junit: join(dir, 'conformance.junit.xml') };
  writeFileSync(files.json, `${JSON.stringify({ plugin: options.plugin, live: Boolean(options.liveConfig), ...report.toJSON() }, null, 2)}\n`);
  writeFileSync(files.junit, report.toJUnit());
  out(`Reports: ${files.json}, ${files.junit}`);
  return { report, failures: Math.max(failures, report.failed), files };
}
