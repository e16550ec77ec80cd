import { isProvisioningError, patternRedactor, type ProvisioningError } from '@provisio/core';
import { writeStdout } from './stdout.js';

/** Where output goes; tests swap it. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  json: boolean;
}

export function consoleOutput(json: boolean): Output {
  return {
    json,
    // A closed stdout is noticed by flushStdout() (main runs it after every command), not thrown here.
    out: (text) => writeStdout(`${text}\n`),
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
