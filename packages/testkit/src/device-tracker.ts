import { isProvisioningError, type DeviceRef, type ProvisioningProvider, type RegisterRequest } from '@provisio/core';

/** A device the suite could not delete, and why. */
export interface Leftover {
  deviceId?: string;
  nodeId?: string;
  reason: string;
  /** The manifest does not claim what deleting (or finding) it needs: reported, not a failure. */
  unsupported?: boolean;
}

/**
 * Remembers every device the suite creates, through any provider instance it builds, so that it
 * can delete them at the end: on a real cloud (live mode) the suite must leave nothing behind.
 * A registration whose answer never arrived (timeout, dropped connection, 5xx) may still have
 * been carried out; its node id is looked up at the end.
 */
export class DeviceTracker {
  private readonly created = new Map<string, string | undefined>();
  private readonly uncertain = new Set<string>();

  /** Wraps a provider: what its register/rekey create and its unregister deletes is recorded. */
  watch(provider: ProvisioningProvider): ProvisioningProvider {
    const tracker = this;
    return new Proxy(provider, {
      get(target, property) {
        if (property === 'register') {
          return async (request: RegisterRequest) => {
            try {
              const registration = await target.register(request);
              tracker.created.set(registration.deviceId, registration.nodeId);
              return registration;
            } catch (error) {
              // Refused before sending, or refused as a duplicate: nothing new can exist.
              const nothingSent = isProvisioningError(error) && ['INVALID_INPUT', 'UNSUPPORTED', 'ALREADY_EXISTS', 'AUTHENTICATION_FAILED'].includes(error.code);
              if (!nothingSent && typeof request?.nodeId === 'string' && request.nodeId) tracker.uncertain.add(request.nodeId);
              throw error;
            }
          };
        }
        if (property === 'rekey') {
          return async (ref: DeviceRef, request: Parameters<ProvisioningProvider['rekey']>[1]) => {
            const registration = await target.rekey(ref, request);
            tracker.created.set(registration.deviceId, registration.nodeId);
            return registration;
          };
        }
        if (property === 'unregister') {
          return async (ref: DeviceRef) => {
            try {
              await target.unregister(ref);
            } catch (error) {
              if (isProvisioningError(error) && error.code === 'NOT_FOUND') tracker.created.delete(ref?.deviceId);
              throw error;
            }
            tracker.created.delete(ref?.deviceId);
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** How many devices may still exist (an upper bound for the clean-up's call budget). */
  get pending(): number {
    return this.created.size + this.uncertain.size;
  }

  /**
   * Deletes every device still recorded (and any an unanswered registration created), with
   * `provider` (an instance in the default configuration). Returns what could not be deleted.
   */
  async cleanUp(provider: ProvisioningProvider): Promise<Leftover[]> {
    const leftovers: Leftover[] = [];
    const ops = provider.capabilities.operations;
    if (ops.lookup) {
      for (const nodeId of this.uncertain) {
        try {
          const found = await provider.lookup({ nodeId });
          this.created.set(found.deviceId, nodeId);
        } catch (error) {
          if (!(isProvisioningError(error) && error.code === 'NOT_FOUND')) leftovers.push({ nodeId, reason: `lookup failed: ${describe(error)}` });
        }
      }
    } else {
      for (const nodeId of this.uncertain) leftovers.push({ nodeId, reason: 'a registration got no answer and the provider cannot look devices up', unsupported: true });
    }
    this.uncertain.clear();
    for (const [deviceId, nodeId] of [...this.created]) {
      if (!ops.unregister) {
        leftovers.push({ deviceId, nodeId, reason: 'the provider does not claim unregister', unsupported: true });
        continue;
      }
      try {
        await provider.unregister({ deviceId });
      } catch (error) {
        if (!(isProvisioningError(error) && error.code === 'NOT_FOUND')) leftovers.push({ deviceId, nodeId, reason: describe(error) });
      }
      this.created.delete(deviceId);
    }
    return leftovers;
  }
}

function describe(error: unknown): string {
  return isProvisioningError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
}
