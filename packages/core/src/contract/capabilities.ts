import type { CredentialKind } from './credentials.js';

/** The operations of the contract. */
export const OPERATIONS = ['register', 'lookup', 'status', 'rekey', 'decryptCredentials', 'unregister'] as const;
export type Operation = (typeof OPERATIONS)[number];

/**
 * Which devices `rekey` can serve, by whether they have ever connected:
 * - `any`: every device;
 * - `activated`: only devices that have connected at least once (Huawei answers 100610
 *   "Device is not active" otherwise → DEVICE_NOT_ACTIVE);
 * - `never-activated`: only devices that have never connected (Tencent by default: a new
 *   secret for a connected device means deleting and re-creating it) → UNSUPPORTED otherwise.
 * It may follow the instance's configuration; the testkit checks the default configuration.
 */
export const REKEY_SCOPES = ['any', 'activated', 'never-activated'] as const;
export type RekeyScope = (typeof REKEY_SCOPES)[number];

/**
 * What one provider instance supports, declared rather than guessed (like abstract-level's
 * `supports`). The testkit runs only the scenarios a manifest claims, and fails a manifest
 * that carries a key it does not know.
 */
export interface ProviderCapabilities {
  /** Which contract operations this instance performs; a `false` one throws UNSUPPORTED. */
  operations: Record<Operation, boolean>;
  /** Credential kinds `register`/`rekey`/`decryptCredentials` can yield. */
  credentialKinds: CredentialKind[];
  /** `register` returns sealed credentials that need `decryptCredentials`. */
  sealedCredentials: boolean;
  /** `rekey` is refused with DEVICE_ONLINE while the device is connected. */
  rekeyRequiresOffline: boolean;
  /** `status` reports connectivity (online/offline), not only activation. */
  connectivity: boolean;
  /** Which devices `rekey` serves (see REKEY_SCOPES); absent means `any`. */
  rekeyScope?: RekeyScope;
  /**
   * When `register` of an existing device answers ALREADY_EXISTS. `always` is the contract (and
   * the default when absent); `once-activated` states a configuration that cannot see a device
   * before it connects (the cloud then issues it a new secret, and the earlier one stops working).
   */
  registerRefusesExisting?: 'always' | 'once-activated';
  /**
   * The call budget this instance keeps to (its configured client rate limit, or the provider's
   * default): `limit` calls per `intervalMs`. Absent means no client-side limit. Callers that
   * plan many calls (the testkit's live mode) size their time budget from it.
   */
  flowControl?: { limit: number; intervalMs: number };
}

/** The keys a capabilities manifest may carry; anything else is an error. */
export const CAPABILITY_KEYS: ReadonlyArray<keyof ProviderCapabilities> = [
  'operations',
  'credentialKinds',
  'sealedCredentials',
  'rekeyRequiresOffline',
  'connectivity',
  'rekeyScope',
  'registerRefusesExisting',
  'flowControl',
];

/** The `flowControl` entry a manifest states for a client rate limit (`false`: none). */
export function flowControlOf(rateLimit: { limit: number; intervalMs: number } | false): Pick<ProviderCapabilities, 'flowControl'> {
  return rateLimit ? { flowControl: { limit: rateLimit.limit, intervalMs: rateLimit.intervalMs } } : {};
}
