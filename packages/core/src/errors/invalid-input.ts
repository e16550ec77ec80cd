import { ProvisioningError } from './provisioning-error.js';
import type { Redactor } from './redactor.js';

export interface InvalidInputOptions {
  /** Where the bad value is: a dotted path ("request.psk", "instances.a.config.region"); omitted only when no one field is at fault. */
  field?: string;
  /** The rule it broke ("pattern", "oneOf", "cli", the provider's name...). */
  rule: string;
  /** Why, in words a user can act on. */
  message: string;
  provider?: string;
  operation?: string;
  details?: Record<string, unknown>;
  redactor?: Redactor;
}

/**
 * The one way to say "bad input, nothing was sent": INVALID_INPUT naming the field and the rule,
 * never retryable (the same input fails the same way).
 */
export function invalidInput(options: InvalidInputOptions): ProvisioningError {
  return new ProvisioningError({ ...options, code: 'INVALID_INPUT', retryable: false });
}
