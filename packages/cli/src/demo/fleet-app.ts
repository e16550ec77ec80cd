import { isProvisioningError, type DeviceBackend, type DeviceCredentials, type ProvisioningError, type ProvisioningProvider, type Registration } from '@provisio/core';

/** One line of the demo's story: a step and what happened on this cloud. */
export interface StepResult {
  step: string;
  outcome: string;
}

async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return isProvisioningError(error) ? (error as ProvisioningError).code : 'error';
  }
}

/**
 * The application code of the demo. It knows nothing about any cloud: the same function runs
 * against every provider instance. `devices` plays the devices themselves (the simulator's
 * device side).
 */
export async function runFleet(provider: ProvisioningProvider, devices: DeviceBackend, nodeIds: string[]): Promise<StepResult[]> {
  const steps: StepResult[] = [];
  const count = (n: number) => `${n}/${nodeIds.length}`;
  const started = Date.now();

  const registrations: Registration[] = await Promise.all(nodeIds.map((nodeId) => provider.register({ nodeId, validitySeconds: 0 })));
  const kinds = [...new Set(registrations.map((r) => r.credentials.kind))].join(',');
  steps.push({ step: 'register', outcome: `${count(registrations.length)} registered (${kinds})` });

  let credentials: DeviceCredentials[] = await Promise.all(registrations.map((r) => provider.decryptCredentials(r.credentials)));
  steps.push({ step: 'decrypt credentials', outcome: `${[...new Set(credentials.map((c) => c.kind))].join(',')} for ${count(credentials.length)}` });

  const statusLine = async () => {
    const all = await Promise.all(registrations.map((r) => provider.status({ deviceId: r.deviceId })));
    return `activated ${count(all.filter((s) => s.activated).length)}, online ${count(all.filter((s) => s.connectivity === 'online').length)}`;
  };
  steps.push({ step: 'status (new)', outcome: await statusLine() });

  await Promise.all(registrations.map((r, i) => devices.connect(r, credentials[i] as DeviceCredentials)));
  steps.push({ step: 'devices connect', outcome: `${count(registrations.length)} connected` });
  steps.push({ step: 'status (connected)', outcome: await statusLine() });

  steps.push({ step: 'rekey while online', outcome: await outcomeOf(provider.rekey({ deviceId: (registrations[0] as Registration).deviceId }, {})) });

  await Promise.all(registrations.map((r) => devices.disconnect(r)));
  const rekeyed = await Promise.all(registrations.map((r) => provider.rekey({ deviceId: r.deviceId }, {})));
  credentials = await Promise.all(rekeyed.map((r) => provider.decryptCredentials(r.credentials)));
  steps.push({ step: 'rekey (offline)', outcome: `${count(rekeyed.length)} new ${[...new Set(credentials.map((c) => c.kind))].join(',')}` });

  await Promise.all(rekeyed.map((r, i) => devices.connect(r, credentials[i] as DeviceCredentials)));
  await Promise.all(rekeyed.map((r) => devices.disconnect(r)));
  steps.push({ step: 'reconnect, new keys', outcome: `${count(rekeyed.length)} connected` });

  await Promise.all(registrations.map((r) => provider.unregister({ deviceId: r.deviceId })));
  const after = await Promise.all(registrations.map((r) => outcomeOf(provider.status({ deviceId: r.deviceId }))));
  steps.push({ step: 'unregister', outcome: `${count(registrations.length)} deleted; status then ${[...new Set(after)].join(',')}` });
  steps.push({ step: 'time', outcome: `${Date.now() - started} ms` });
  return steps;
}
