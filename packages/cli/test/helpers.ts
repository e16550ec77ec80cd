import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built binary, as npm links it. */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'provisio.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'provisio-cli-'));
}

/** Runs `provisio args...` to completion. */
export function provisio(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (options.input !== undefined) child.stdin.end(options.input);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a long-running `provisio ...` and resolves with its first stdout line. */
export function startProvisio(args: string[], cwd: string): Promise<{ child: ChildProcess; firstLine: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd });
    let buffer = '';
    child.stdout?.on('data', (d: Buffer) => {
      buffer += d.toString();
      const newline = buffer.indexOf('\n');
      if (newline >= 0) resolve({ child, firstLine: buffer.slice(0, newline) });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });
}
