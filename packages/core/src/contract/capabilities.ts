import type { CredentialKind } from './credentials.js';

/** The operations of the contract. */
export const OPERATIONS = ['register', 'lookup', 'status', 'rekey', 'decryptCredentials', 'unregister'] as const;
export type Operation = (typeof OPERATIONS)[number];

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
  /**
   * When `register` of an existing device answers ALREADY_EXISTS. `always` is the contract (and
   * the default when absent); `once-activated` states a configuration that cannot see a device
   * before it connects (the cloud then issues it a new secret, and the earlier one stops working).
   */
  registerRefusesExisting?: 'always' | 'once-activated';
}

/** The keys a capabilities manifest may carry; anything else is an error. */
export const CAPABILITY_KEYS: ReadonlyArray<keyof ProviderCapabilities> = [
  'operations',
  'credentialKinds',
  'sealedCredentials',
  'rekeyRequiresOffline',
  'connectivity',
  'registerRefusesExisting',
];
