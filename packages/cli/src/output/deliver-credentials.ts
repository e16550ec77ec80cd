import type { Output } from './format.js';
import { saveRecoveryFile } from './recovery-file.js';
import { flushStdout, OutputClosedError } from './stdout.js';

export interface IssuedCredentials {
  /** The configured instance, for the advice. */
  instance: string;
  deviceId: string;
  /** Names the recovery file (node id or device id). */
  label: string;
}

/**
 * Prints a result that carries credentials a cloud has just issued. If standard output cannot
 * take it (the reader of a pipe exited, a full disk), the credentials are saved to a 0600
 * recovery file, as the JSON `--json` prints, and the error says where, never the secret itself.
 */
export async function deliverCredentials(output: Output, value: unknown, readable: () => string, issued: IssuedCredentials): Promise<void> {
  output.out(output.json ? JSON.stringify(value, null, 2) : readable());
  try {
    await flushStdout();
  } catch (error) {
    if (!(error instanceof OutputClosedError)) throw error;
    let saved: string;
    try {
      saved = await saveRecoveryFile(`${issued.instance}-${issued.label}`, `${JSON.stringify(value, null, 2)}\n`);
    } catch (saveError) {
      throw new OutputClosedError(
        `${error.message}, and ${saveError instanceof Error ? saveError.message : String(saveError)}. ` +
          `Device ${issued.deviceId} exists but nobody holds its credentials: issue new ones with "provisio rekey -i ${issued.instance} --device-id ${issued.deviceId}"`,
        error.errno,
      );
    }
    throw new OutputClosedError(
      `${error.message}. The credentials issued for device ${issued.deviceId} are saved in ${saved} (mode 0600, the JSON --json prints); ` +
        `read them from there (e.g. "provisio decrypt -i ${issued.instance} --input ${saved}") and delete the file`,
      error.errno,
    );
  }
}
