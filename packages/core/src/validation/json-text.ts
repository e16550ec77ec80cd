import { createRequire } from 'node:module';
import type { ParseError } from 'jsonc-parser';
import { invalidInput } from '../errors/invalid-input.js';

type JsoncParser = typeof import('jsonc-parser');
let jsonc: JsoncParser | undefined;

/** Loaded on the first syntax error only: core is imported by programs that never meet one. */
function scanner(): JsoncParser {
  jsonc ??= createRequire(import.meta.url)('jsonc-parser') as JsoncParser;
  return jsonc;
}

/** Where and why a text is not JSON, without any of the text itself. */
export interface JsonSyntaxProblem {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** What went wrong, in words ("value expected", "comma expected"...). */
  kind: string;
}

/**
 * Locates the first syntax error of `text` (strict JSON: no comments, no trailing commas).
 * `JSON.parse`'s own message quotes the text around the error, which may be a secret
 * (`..."secret": MYLITERAL"... is not valid JSON`): this gives only line, column and kind.
 */
export function jsonSyntaxProblem(text: string, parseError?: unknown): JsonSyntaxProblem {
  const { parse: scanJson, printParseErrorCode } = scanner();
  const errors: ParseError[] = [];
  scanJson(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  let offset: number;
  let kind: string;
  if (first) {
    offset = first.offset;
    kind = printParseErrorCode(first.error)
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase();
  } else {
    // The scanner accepted what JSON.parse refused: only the position of V8's message is used.
    const message = parseError instanceof Error ? parseError.message : '';
    const at = /at position (\d+)/.exec(message);
    offset = at ? Number(at[1]) : text.length;
    kind = /^Unexpected end/.test(message) ? 'unexpected end of input' : 'invalid JSON';
  }
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column, kind };
}

/** "line 3, column 12: value expected" for a text JSON.parse refused. */
export function describeJsonSyntaxError(text: string, parseError?: unknown): string {
  const { line, column, kind } = jsonSyntaxProblem(text, parseError);
  return `line ${line}, column ${column}: ${kind}`;
}

/**
 * JSON.parse for text a user wrote (a config file, a variable, standard input, an option):
 * a syntax error is INVALID_INPUT naming `source` (the file or variable), the line and column
 * and the kind of error, never quoting the text.
 */
export function parseUserJson(text: string, source: string, field: string = source): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidInput({ field, rule: 'json', message: `${source} is not valid JSON (${describeJsonSyntaxError(text, error)}); fix the syntax` });
  }
}
