import { isProvisioningError, type ErrorCode } from '@provisio/core';
import { CliError } from './cli-error.js';

/** Exit codes, distinct per kind of failure so scripts can branch on them. */
export const EXIT = {
  OK: 0,
  FAILURE: 1,
  INVALID_INPUT: 2,
  AUTHENTICATION: 3,
  NOT_FOUND: 4,
  RATE_LIMITED: 5,
  /** Another bulk run holds the output's lock. */
  BUSY: 6,
} as const;

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

export const EXIT_CODES_HELP =
  'Exit codes: 0 ok, 1 other failure (also: standard output closed; issued credentials are then saved to a 0600 recovery file named on stderr), ' +
  '2 invalid input or configuration (bulk: also when invalid rows were skipped), 3 authentication/access denied, 4 not found, ' +
  '5 rate limited or quota exceeded, 6 another bulk run is writing the same output, 130 bulk interrupted (re-run to resume).';
