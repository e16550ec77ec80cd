import { isProvisioningError, ProvisioningError } from '@provisio/core';
import { saveRecoveryFile } from './recovery-file.js';

/**
 * A failure part-way through an operation may carry credentials the cloud already issued (core
 * puts them on the error's non-enumerable `recovered`). A CLI user cannot reach that property, so
 * they are saved to a 0600 recovery file (as the JSON `--json` prints for a register) and the
 * error, otherwise unchanged, names the file; never the secret itself.
 */
export async function saveRecoveredCredentials(error: unknown, instance: string | undefined): Promise<unknown> {
  if (!isProvisioningError(error)) return error;
  const e = error as ProvisioningError;
  if (e.recovered === undefined) return error;
  const r = e.recovered as { nodeId?: unknown; deviceId?: unknown };
  const id = typeof r.nodeId === 'string' && r.nodeId ? r.nodeId : typeof r.deviceId === 'string' ? r.deviceId : (e.operation ?? 'failed');
  const label = `${instance ?? e.provider ?? 'provisio'}-${id}`;
  let note: string;
  const details: Record<string, unknown> = { ...e.details };
  try {
    const file = await saveRecoveryFile(label, `${JSON.stringify(e.recovered, null, 2)}\n`);
    details.recoveryFile = file;
    note =
      ` The credentials it issued are saved in ${file} (mode 0600, as JSON); read them from there and delete the file.`;
  } catch (saveError) {
    note = ` The credentials it issued could not be saved (${saveError instanceof Error ? saveError.message : String(saveError)}): they are lost.`;
  }
  const copy = new ProvisioningError({ ...e.toOptions(), message: `${e.message}${note}`, details });
  copy.$metadata.attempts = e.$metadata.attempts;
  return copy;
}
