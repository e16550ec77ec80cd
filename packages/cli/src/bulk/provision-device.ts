import {
  isProvisioningError,
  ProvisioningError,
  type DeviceCredentials,
  type ErrorCode,
  type ProvisioningProvider,
  type RegisterRequest,
  type Registration,
} from '@provisio/core';
import { NOTHING_CREATED } from './journal.js';

/** Find → (register | delete + register) rounds before a recovering row is left for the next run. */
const MAX_RECOVERY_ROUNDS = 3;

function isCode(error: unknown, code: ProvisioningError['code']): boolean {
  return isProvisioningError(error) && (error as ProvisioningError).code === code;
}

/** Saves what the cloud issued (durably) before the row counts as done. */
export type RecordIssued = (
  nodeId: string,
  registration: Registration,
  credentials: DeviceCredentials | Registration['credentials'],
  recovered: boolean,
) => Promise<void>;

/**
 * Provisions one device by the bulk rules, for the single-process run and the queue workers
 * alike: a device whose earlier attempt may have reached the cloud (`uncertain`) is looked up
 * before anything is registered again, and every issued credential goes through `record`.
 */
export async function provisionDevice(
  provider: ProvisioningProvider,
  request: RegisterRequest,
  uncertain: boolean,
  record: RecordIssued,
): Promise<'registered' | 'recovered'> {
  const caps = provider.capabilities.operations;
  /**
   * A device whose earlier call may have reached the cloud: find it before acting, and give it
   * exactly what the row asks for (same verify code, PSK, validity), never a provider default.
   *
   * - not on the cloud: register the row (an ALREADY_EXISTS answer means the lost call landed
   *   after all: look again, never skip);
   * - on the cloud but never connected: the lost answer may have carried a platform-made
   *   secret nobody saved, so delete it and register the row again (a refresh-key call is not
   *   an option: Huawei answers 100610 "Device is not active" for a device that never
   *   connected, seed 002, and it never returns the PSK); where the provider cannot delete,
   *   rekey with the row's own values;
   * - on the cloud and already connected: it holds its credentials; left alone, said so.
   */
  const recover = async (request: RegisterRequest): Promise<'registered' | 'recovered'> => {
    if (!caps.lookup) {
      await record(request.nodeId, ...(await registerOnce(request)), false);
      return 'registered';
    }
    for (let attempt = 1; ; attempt++) {
      const ref = await findDevice(request.nodeId);
      if (!ref) {
        try {
          await record(request.nodeId, ...(await registerOnce(request)), attempt > 1);
          return attempt > 1 ? 'recovered' : 'registered';
        } catch (error) {
          if (isCode(error, 'ALREADY_EXISTS') && attempt < MAX_RECOVERY_ROUNDS) continue;
          throw error;
        }
      }
      if (caps.status && (await provider.status(ref)).activated) {
        throw new ProvisioningError({
          code: 'ALREADY_EXISTS',
          message: `${request.nodeId} exists and has already connected, so the device holds its credentials; nothing re-issued`,
          retryable: false,
        });
      }
      if (caps.unregister) {
        await provider.unregister(ref);
        try {
          await record(request.nodeId, ...(await registerOnce(request)), true);
          return 'recovered';
        } catch (error) {
          if (isCode(error, 'ALREADY_EXISTS') && attempt < MAX_RECOVERY_ROUNDS) continue;
          throw error;
        }
      }
      if (!caps.rekey) {
        throw new ProvisioningError({
          code: 'UNSUPPORTED',
          message: `${request.nodeId} was registered by an interrupted run, and this provider can neither delete it nor re-issue its credentials`,
          retryable: false,
        });
      }
      const rekeyed = await provider.rekey(ref, {
        verifyCode: request.verifyCode,
        psk: request.psk,
        validitySeconds: request.validitySeconds,
      });
      await record(request.nodeId, { ...rekeyed, nodeId: request.nodeId }, rekeyed.credentials, true);
      return 'recovered';
    }
  };

  /** The device's reference, or undefined when the cloud has no device with this node id. */
  const findDevice = async (nodeId: string) => {
    try {
      return await provider.lookup({ nodeId });
    } catch (error) {
      if (isCode(error, 'NOT_FOUND')) return undefined;
      throw error;
    }
  };

  const registerOnce = async (request: RegisterRequest): Promise<[Registration, Registration['credentials']]> => {
    const registration = await provider.register(request);
    return [registration, registration.credentials];
  };

  if (uncertain) return recover(request);
  await record(request.nodeId, ...(await registerOnce(request)), false);
  return 'registered';
}

/** A failed row: its code and message, and whether it proves nothing was created (`final`). */
export function failureOf(error: unknown, uncertain: boolean): { code: ErrorCode; message: string; final: boolean } {
  const e = isProvisioningError(error)
    ? (error as ProvisioningError)
    : new ProvisioningError({ code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
  // After an uncertain attempt nothing proves the cloud holds nothing: the row stays open
  // and the next run looks again (an ALREADY_EXISTS there means "find it", not "skip it").
  return { code: e.code, message: e.message, final: e.code === 'INVALID_INPUT' || (!uncertain && NOTHING_CREATED.has(e.code)) };
}
