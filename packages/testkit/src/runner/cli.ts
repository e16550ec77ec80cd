#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseUserJson } from '@provisio/core';
import { resolveEnvReferences, runConformanceCli } from './run.js';

const USAGE = `Usage: provisio-conformance <plugin-package> [options]

Loads a provisio provider plugin by package name, starts its simulator, runs the conformance
suite, prints a capability matrix and writes JSON and JUnit reports. Exits 1 on any failure.

Options:
  --live                 run against a real cloud instead of the simulator; the instance config
                         comes from --config or the PROVISIO_CONFORMANCE_CONFIG variable (JSON,
                         with \${ENV_VAR} references for secrets). Device-side steps are skipped.
  --config FILE          instance config for --live (JSON)
  --known-failures FILE  JSON array of test titles expected to fail
  --report-dir DIR       where conformance.json and conformance.junit.xml go (default: conformance-report)
  --reporter NAME        mocha reporter (default: spec)
  --timeout MS           per-test time budget before flow control (default 30000); a test that
                         makes many calls gets the time the instance's declared flow control
                         needs for them on top (Huawei's default 100 calls/min: minutes)
  -h, --help             this help

Example:
  provisio-conformance @provisio/provider-huawei --report-dir reports/huawei`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      live: { type: 'boolean', default: false },
      config: { type: 'string' },
      'known-failures': { type: 'string' },
      'report-dir': { type: 'string', default: 'conformance-report' },
      reporter: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const plugin = positionals[0];
  if (!plugin || positionals.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let liveConfig: Record<string, unknown> | undefined;
  if (values.live) {
    const text = values.config ? readFileSync(values.config, 'utf8') : process.env.PROVISIO_CONFORMANCE_CONFIG;
    if (!text) {
      process.stderr.write('--live needs the instance config: --config FILE or PROVISIO_CONFORMANCE_CONFIG (JSON)\n');
      return 2;
    }
    liveConfig = resolveEnvReferences(parseUserJson(text, values.config ?? 'PROVISIO_CONFORMANCE_CONFIG')) as Record<string, unknown>;
  }
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    process.stderr.write(`--timeout must be a whole number of milliseconds, got "${values.timeout}"\n`);
    return 2;
  }
  const knownFailures = values['known-failures'] ? (parseUserJson(readFileSync(values['known-failures'], 'utf8'), values['known-failures']) as string[]) : undefined;
  const result = await runConformanceCli({
    plugin,
    liveConfig,
    knownFailures,
    reportDir: values['report-dir'] as string,
    reporter: values.reporter,
    timeoutMs,
  });
  return result.failures > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Errors from plugin loading and config are ProvisioningErrors: already free of secrets.
    process.stderr.write(`provisio-conformance: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
