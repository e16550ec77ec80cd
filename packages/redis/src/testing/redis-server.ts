import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What to tell a developer whose machine has no redis-server. */
export const REDIS_INSTALL_HINT = 'install it to run these tests: sudo apt-get install -y redis-server (Debian/Ubuntu)';

/** Is Debian's (or any) `redis-server` on the PATH? */
export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throwaway redis-server for tests and demos: on a free port of 127.0.0.1, in a temporary
 * directory, without persistence (nothing outlives `stop()`); optionally with a password.
 */
export class RedisServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly dir: string,
    private readonly password: string | undefined,
    private readonly tls: boolean,
  ) {}

  /** redis://127.0.0.1:PORT, or rediss:// when TLS is on (with the password when one was set). */
  get url(): string {
    const scheme = this.tls ? 'rediss' : 'redis';
    return this.password ? `${scheme}://:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}` : `${scheme}://127.0.0.1:${this.port}`;
  }

  /** `tls`: serve TLS only, with these PEM files (no client certificate asked). */
  static async start(options: { password?: string; tls?: { certFile: string; keyFile: string; caFile: string } } = {}): Promise<RedisServerProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'provisio-redis-'));
    for (let tries = 0; ; tries++) {
      const port = await freePort();
      const listen = options.tls
        ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.certFile, '--tls-key-file', options.tls.keyFile, '--tls-ca-cert-file', options.tls.caFile, '--tls-auth-clients', 'no']
        : ['--port', String(port)];
      const args = [...listen, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
      if (options.password) args.push('--requirepass', options.password);
      const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const ready = await new Promise<boolean>((resolve) => {
        let out = '';
        const timer = setTimeout(() => resolve(false), 10_000);
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (/Ready to accept connections/.test(out)) {
            clearTimeout(timer);
            resolve(true);
          }
        });
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      if (ready) {
        child.stdout?.resume();
        child.stderr?.resume();
        return new RedisServerProcess(child, port, dir, options.password, Boolean(options.tls));
      }
      child.kill('SIGKILL');
      // Another program took the port between our probe and redis's bind: try another.
      if (tries >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error('redis-server did not start');
      }
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL) and removes its directory. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
