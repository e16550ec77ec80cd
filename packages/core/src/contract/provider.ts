import type { ProviderCapabilities } from './capabilities.js';
import type { DeviceCredentials, SealedCredentials } from './credentials.js';
import type { DeviceRef, DeviceStatus, LookupRequest, RegisterRequest, Registration, RekeyRequest } from './device.js';

/**
 * One account (app, product, key pair) on one cloud. Every method validates its input before
 * any I/O and fails only with a `ProvisioningError`.
 */
export interface ProvisioningProvider {
  /** The provider id, e.g. "huawei". */
  readonly id: string;
  readonly capabilities: ProviderCapabilities;

  register(request: RegisterRequest): Promise<Registration>;
  /**
   * Checks a register request as `register` would before any I/O, without sending anything
   * (throws INVALID_INPUT). Lets a caller validate a whole batch before the first call.
   */
  checkRegister?(request: RegisterRequest): void;
  /**
   * Finds the device registered with this node id (NOT_FOUND when there is none). This is how
   * a caller recovers from a register call whose answer was lost (a crash, a timeout).
   */
  lookup(request: LookupRequest): Promise<DeviceRef>;
  status(ref: DeviceRef): Promise<DeviceStatus>;
  rekey(ref: DeviceRef, request: RekeyRequest): Promise<Registration>;
  /** Turns sealed credentials into plain ones; plain ones are checked and returned as they are. */
  decryptCredentials(credentials: SealedCredentials | DeviceCredentials): Promise<DeviceCredentials>;
  unregister(ref: DeviceRef): Promise<void>;
  /** Releases sockets and timers. Safe to call twice. */
  close(): Promise<void>;
}
