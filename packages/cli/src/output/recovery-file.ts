import { mkdir, open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where credentials go when standard output cannot take them: `$PROVISIO_RECOVERY_DIR`, else
 * `.provisio/recovered/` in the current directory, else the same under the home directory.
 */
export function recoveryDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.PROVISIO_RECOVERY_DIR) return [resolve(env.PROVISIO_RECOVERY_DIR)];
  return [resolve('.provisio', 'recovered'), join(homedir(), '.provisio', 'recovered')];
}

/**
 * Saves `text` (credentials a cloud has just issued) to a new file readable only by the user
 * (directory 0700, file 0600, never overwriting another) and returns its path. The text is
 * flushed to disk before this resolves, so the credentials outlive the process.
 */
export async function saveRecoveryFile(label: string, text: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const name = `${stamp}-${label.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80)}.json`;
  const errors: string[] = [];
  for (const dir of recoveryDirs(env)) {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, name);
      const file = await open(path, 'wx', 0o600);
      try {
        await file.writeFile(text);
        await file.sync();
      } finally {
        await file.close();
      }
      return path;
    } catch (error) {
      errors.push(`${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`no recovery file could be written (${errors.join('; ')})`);
}
