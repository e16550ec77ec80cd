import { isProvisioningError, type ErrorCode } from '@provisio/core';
import { CliError } from './cli-error.js';
import { EXIT } from './exit-code-table.js';

export { EXIT, EXIT_CODES_HELP } from './exit-code-table.js';

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: EXIT.INVALID_INPUT,
  AUTHENTICATION_FAILED: EXIT.AUTHENTICATION,
  ACCESS_DENIED: EXIT.AUTHENTICATION,
  NOT_FOUND: EXIT.NOT_FOUND,
  RATE_LIMITED: EXIT.RATE_LIMITED,
  QUOTA_EXCEEDED: EXIT.RATE_LIMITED,
};

export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (isProvisioningError(error)) return BY_CODE[(error as { code: ErrorCode }).code] ?? EXIT.FAILURE;
  return EXIT.FAILURE;
}
