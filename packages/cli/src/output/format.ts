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

/** The widest a table cell gets; a longer (or multi-line) value would stretch every row and the rule. */
export const MAX_CELL = 64;

function cellText(v: unknown): string {
  return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function fitsCell(text: string): boolean {
  return text.length <= MAX_CELL && !/[\r\n]/.test(text);
}

/**
 * A plain aligned table. Columns are at most MAX_CELL wide: a longer value (a path, a message)
 * is printed whole and overflows its own row only, instead of widening every row and the rule.
 */
export function table(rows: Array<Record<string, unknown>>, columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => cols.map((c) => cellText(r[c]).replace(/\r?\n/g, ' ')));
  const widths = cols.map((c, i) => Math.min(MAX_CELL, Math.max(c.length, ...cells.map((row) => (row[i] as string).length))));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/**
 * Key/value pairs, one per line. A long or multi-line value (a certificate, a private key) is
 * printed whole, on its own lines after the table, so it can be copied as is.
 */
export function keyValues(record: Record<string, unknown>): string {
  const short: Array<{ field: string; value: unknown }> = [];
  const long: string[] = [];
  for (const [field, value] of Object.entries(record)) {
    const t = cellText(value);
    if (fitsCell(t)) short.push({ field, value: t });
    else {
      short.push({ field, value: '(below)' });
      long.push(`${field}:\n${t.replace(/\r\n?/g, '\n').replace(/\n$/, '')}`);
    }
  }
  return [table(short, ['field', 'value']), ...long].join('\n\n');
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
