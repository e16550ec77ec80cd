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

/** What `provisio simulate --json` prints on its first line. */
export interface SimulateInfo {
  ready: boolean;
  endpoints: Array<{ instance: string; url: string }>;
  configFile: string;
  envFile: string;
  env: Record<string, string>;
  config: { instances: Record<string, { plugin: string; config: Record<string, unknown> }> };
}

/**
 * A call to a simulator's control surface, as the device side would make it: over the
 * instance's own transport (the Huawei simulator speaks mutual TLS with the files `simulate` wrote).
 */
export async function simControl(info: SimulateInfo, dir: string, instance: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const { request: httpsRequest } = await import('node:https');
  const { request: httpRequest } = await import('node:http');
  const { readFileSync } = await import('node:fs');
  const { resolve: resolvePath } = await import('node:path');
  const base = info.endpoints.find((e) => e.instance === instance)?.url;
  if (!base) throw new Error(`no simulator for ${instance}`);
  const url = new URL(path, base);
  const tls = info.config.instances[instance]?.config.tls as { caFile: string; pfxFile: string; passphrase: string } | undefined;
  const options = tls
    ? {
        method,
        ca: readFileSync(resolvePath(dir, tls.caFile)),
        pfx: readFileSync(resolvePath(dir, tls.pfxFile)),
        passphrase: tls.passphrase.replace(/^\$\{(.+)\}$/, (_m, name: string) => info.env[name] ?? ''),
      }
    : { method };
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/**
 * Runs a shell script the way a user types it: `provisio` is the CLI (node + the built bin),
 * so pipes between commands are real OS pipes between separate processes.
 */
export function shell(script: string, options: { cwd: string; env?: Record<string, string> }): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `provisio() { "$PROVISIO_NODE" "$PROVISIO_BIN" "$@"; }\n${script}`], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, PROVISIO_NODE: process.execPath, PROVISIO_BIN: BIN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `provisio args...` on a pseudo-terminal (util-linux `script`), as on a user's terminal:
 * stdin and stdout are a TTY. `input` is typed into the terminal. Resolves with the transcript
 * (terminal escapes included) and the command's exit code, or code null if it had to be killed.
 */
export function onTerminal(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string; timeoutMs?: number }): Promise<RunResult> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  return new Promise((resolve) => {
    // -q quiet, -e return the command's exit code, -c the command; the transcript goes to /dev/null.
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (options.input !== undefined) child.stdin.write(options.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? null : code, stdout, stderr });
    });
  });
}
