import { isProvisioningError, type RegisterRequest } from '@provisio/core';
import { readDevices } from './input-reader.js';
import type { BulkIssue } from './bulk-run.js';
import type { DurableAppender } from './durable-file.js';

/**
 * Why a row cannot be sent, from the row alone (no call): what the reader says (a malformed
 * record, not JSON), no node id, a node id an earlier row has. Shared by the run and --strict's
 * check so both call the same rows invalid.
 */
export function rowProblem(row: { error?: string; request?: RegisterRequest }, seen: Set<string>): { message: string; nodeId?: string } | undefined {
  if (row.error || !row.request) return { message: row.error ?? 'empty row' };
  const nodeId = typeof row.request.nodeId === 'string' ? row.request.nodeId : '';
  if (!nodeId) return { message: 'nodeId is required' };
  if (seen.has(nodeId)) return { message: `nodeId ${nodeId} appears earlier in the input`, nodeId };
  seen.add(nodeId);
  return undefined;
}

/**
 * --strict: a first streaming pass over the whole input, before any call. Every row is checked
 * as the run would check it, and by the provider's own pre-call validation where it offers one
 * (`checkRegister`); the invalid rows are returned, all of them, in input order. Only an input
 * with none is run, so a strict run never sends a row after an invalid one.
 */
export async function invalidRowsOf(input: string, checkRegister?: (request: RegisterRequest) => void): Promise<BulkIssue[]> {
  const seen = new Set<string>();
  const invalid: BulkIssue[] = [];
  for await (const row of readDevices(input)) {
    const problem = rowProblem(row, seen);
    if (problem) {
      invalid.push({ line: row.line, nodeId: problem.nodeId, code: 'INVALID_INPUT', message: problem.message });
      continue;
    }
    try {
      checkRegister?.(row.request as RegisterRequest);
    } catch (error) {
      if (!isProvisioningError(error) || error.code !== 'INVALID_INPUT') throw error;
      invalid.push({ line: row.line, nodeId: row.request?.nodeId, code: 'INVALID_INPUT', message: error.message });
    }
  }
  return invalid;
}

/**
 * --strict before a run (single-process or queued): the invalid rows, recorded in the journal with
 * both files closed, or undefined when the input is clean and the run may go on. The files are
 * closed on any failure of the check too.
 */
export async function strictPrecheck(
  input: string,
  files: { journal: DurableAppender; output: DurableAppender },
  checkRegister?: (request: RegisterRequest) => void,
): Promise<BulkIssue[] | undefined> {
  const closeBoth = async (): Promise<void> => {
    await files.journal.close();
    await files.output.close();
  };
  const found = await invalidRowsOf(input, checkRegister).catch(async (error: unknown) => {
    await closeBoth();
    throw error;
  });
  if (!found.length) return undefined;
  for (const r of found) await files.journal.append({ t: 'invalid', line: r.line, node: r.nodeId, message: r.message });
  await closeBoth();
  return found;
}
