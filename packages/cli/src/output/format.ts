import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isProvisioningError, patternRedactor, type ProvisioningError } from '@provisio/core';
import { CliError } from './cli-error.js';
import { EXIT } from './exit-codes.js';

/** Where output goes; tests swap it. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  json: boolean;
}

/** The first failure to write stdout (EPIPE when the reader went away), if any. */
let stdoutFailure: NodeJS.ErrnoException | undefined;

export function stdoutFailed(): NodeJS.ErrnoException | undefined {
  return stdoutFailure;
}

/** Resolves once `text` is handed to the OS; rejects when stdout is closed (EPIPE) or fails. */
export function writeStdout(text: string): Promise<void> {
  if (stdoutFailure) return Promise.reject(stdoutFailure);
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => {
      if (error) {
        stdoutFailure ??= error;
        reject(error);
      } else resolve();
    });
  });
}

export function consoleOutput(json: boolean): Output {
  return {
    json,
    out: (text) => void writeStdout(`${text}\n`).catch(() => undefined),
    err: (text) => process.stderr.write(`${text}\n`),
  };
}

/** A plain aligned table. */
export function table(rows: Array<Record<string, unknown>>, columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const text = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => text(r[c]))))].join('\n');
}

/** Key/value pairs, one per line. */
export function keyValues(record: Record<string, unknown>): string {
  return table(Object.entries(record).map(([field, value]) => ({ field, value })), ['field', 'value']);
}

/**
 * Prints credentials a cloud has just issued. They exist nowhere else, so when stdout cannot
 * take them (the reader of a pipe went away) they go to a new 0600 file instead, and the
 * command fails saying where (never printing the secret to stderr).
 */
export async function deliverIssued(output: Output, value: unknown, readable: () => string): Promise<void> {
  try {
    await writeStdout(`${output.json ? JSON.stringify(value, null, 2) : readable()}\n`);
  } catch (error) {
    const file = resolve(`provisio-issued-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.json`);
    writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    throw new CliError(
      `could not write the issued credentials to stdout (${(error as NodeJS.ErrnoException).code ?? String(error)}); they are saved in ${file} (mode 0600)`,
      EXIT.FAILURE,
    );
  }
}

/** Prints a result as JSON (--json) or readable text. */
export function printResult(output: Output, value: unknown, readable: () => string): void {
  output.out(output.json ? JSON.stringify(value, null, 2) : readable());
}

/** Prints an error without secrets: ProvisioningErrors are redacted already; anything else by pattern. */
export function printError(output: Output, error: unknown): void {
  if (isProvisioningError(error)) {
    const e = error as ProvisioningError;
    if (output.json) {
      output.out(JSON.stringify({ error: e.toJSON() }, null, 2));
      return;
    }
    const where = [e.provider, e.operation].filter(Boolean).join(' ');
    const vendor = e.vendorCode ? ` [vendor ${e.vendorCode}]` : '';
    output.err(`provisio: ${e.code}${where ? ` (${where})` : ''}: ${e.message}${vendor}`);
    return;
  }
  const message = patternRedactor.redact(error instanceof Error ? error.message : String(error));
  if (output.json) output.out(JSON.stringify({ error: { code: 'INTERNAL', message } }, null, 2));
  else output.err(`provisio: ${message}`);
}
