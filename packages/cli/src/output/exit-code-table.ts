// The exit codes and their help text without @provisio/core, so `provisio --help` need not load it.

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

export const EXIT_CODES_HELP =
  'Exit codes: 0 ok, 1 other failure (also: standard output closed; issued credentials are then saved to a 0600 recovery file named on stderr), ' +
  '2 invalid input or configuration (bulk: also when invalid rows were skipped), 3 authentication/access denied, 4 not found, ' +
  '5 rate limited or quota exceeded, 6 another bulk run is writing the same output, 130 bulk interrupted (re-run to resume).';
