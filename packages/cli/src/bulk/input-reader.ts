import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { describeJsonSyntaxError, ProvisioningError, type RegisterRequest } from '@provisio/core';

/** One input row: a request, or why it cannot be one. `line` is 1-based in the input file. */
export interface InputRow {
  line: number;
  request?: RegisterRequest;
  error?: string;
}

const CSV_COLUMNS = ['nodeId', 'productId', 'name', 'verifyCode', 'psk', 'validitySeconds', 'vendor'] as const;

/** Streams devices from a .csv (header row, columns above) or .jsonl file (one request per line). */
export function readDevices(path: string): AsyncGenerator<InputRow> {
  return path.toLowerCase().endsWith('.csv') ? readCsv(path) : readJsonl(path);
}

async function* readJsonl(path: string): AsyncGenerator<InputRow> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (!text.trim()) continue;
    try {
      const value = JSON.parse(text) as unknown;
      if (!value || typeof value !== 'object' || Array.isArray(value)) yield { line, error: 'not a JSON object' };
      else yield { line, request: value as RegisterRequest };
    } catch (error) {
      // Never JSON.parse's message: it quotes the row around the error, which may hold a PSK.
      yield { line, error: `not valid JSON (column ${describeJsonSyntaxError(text, error).replace(/^line 1, column /, '')})` };
    }
  }
}

async function* readCsv(path: string): AsyncGenerator<InputRow> {
  const parser = createReadStream(path).pipe(
    parse({ columns: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }),
  );
  let checkedHeader = false;
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    if (!checkedHeader) {
      checkedHeader = true;
      const unknown = Object.keys(record).filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
      if (unknown.length) {
        throw new ProvisioningError({
          code: 'INVALID_INPUT',
          message: `${path}: unknown CSV column(s) ${unknown.join(', ')}; known: ${CSV_COLUMNS.join(', ')}`,
          field: 'input',
          rule: 'csv-columns',
          retryable: false,
        });
      }
    }
    yield toRequest(record, info.lines);
  }
}

function toRequest(record: Record<string, string>, line: number): InputRow {
  const request: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === '' || value === undefined) continue;
    if (key === 'validitySeconds') {
      const n = Number(value);
      if (!Number.isInteger(n)) return { line, error: `validitySeconds "${value}" is not an integer` };
      request.validitySeconds = n;
    } else if (key === 'vendor') {
      try {
        request.vendor = JSON.parse(value) as unknown;
      } catch (error) {
        return { line, error: `vendor is not valid JSON (${describeJsonSyntaxError(value, error)})` };
      }
    } else request[key] = value;
  }
  return { line, request: request as unknown as RegisterRequest };
}

/** Counts data rows quickly (for progress and ETA), without parsing them. */
export async function countRows(path: string): Promise<number> {
  let count = 0;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) if (text.trim()) count++;
  return path.toLowerCase().endsWith('.csv') ? Math.max(0, count - 1) : count;
}
