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

/**
 * CSV problems csv-parse reports, in our words: its own messages quote the field's value, which
 * may be a PSK or a verify code.
 */
const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted field is closed in the middle of a field',
  INVALID_OPENING_QUOTE: 'a quote opens in the middle of a field',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows a closing quote',
  CSV_RECORD_INCONSISTENT_COLUMNS: 'more fields than the header has columns',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'more fields than the header has columns',
  CSV_MAX_RECORD_SIZE: 'the record is too large',
};

/** The first line of a record that ended on `endLine` (csv-parse counts to its end; a quoted field may span lines). */
function firstLine(endLine: number, raw: string | undefined): number {
  if (!raw) return endLine;
  const body = raw.replace(/^(\r?\n)+/, ''); // empty lines skipped before the record
  const newlines = body.split('\n').length - 1;
  return endLine - newlines + (body.endsWith('\n') ? 1 : 0);
}

/**
 * A malformed record (an unclosed quote, more fields than the header) is skipped by csv-parse
 * (`skip_records_with_error`) and comes out as an invalid row with its line, like any other
 * invalid row: the run goes on (or, with --strict, stops before any call). An unclosed quote
 * runs to the end of the file or to the next quote, so the lines it swallowed are named.
 * Fewer fields than the header are allowed (the missing trailing columns are empty).
 */
async function* readCsv(path: string): AsyncGenerator<InputRow> {
  const skipped: InputRow[] = [];
  const parser = createReadStream(path).pipe(
    parse({
      columns: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      raw: true,
      relax_column_count_less: true,
      skip_records_with_error: true,
      on_skip: (error: (Error & { code?: string; lines?: number }) | undefined, raw: string | undefined) => {
        const end = error?.lines ?? 0;
        const line = firstLine(end, raw);
        const problem = (error?.code && CSV_PROBLEMS[error.code]) ?? `malformed CSV (${error?.code ?? 'unknown error'})`;
        const span = end > line ? `; lines ${line}-${end} were read as this one record and skipped` : '';
        skipped.push({ line, error: `malformed CSV record: ${problem}${span}` });
      },
    }),
  );
  let checkedHeader = false;
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; raw?: string } }>) {
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
    const line = firstLine(info.lines, info.raw);
    // Skipped records the parser met before this one, in input order.
    while (skipped.length && (skipped[0] as InputRow).line < line) yield skipped.shift() as InputRow;
    yield toRequest(record, line);
  }
  yield* skipped.splice(0);
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
