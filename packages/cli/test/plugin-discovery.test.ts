// The CLI names no provider: `simulate` and `demo` run what is installed (the CLI's own provider
// dependencies and the project's plugins), and per-provider options are keyed by provider id.
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provisio, startProvisio, tempDir, type SimulateInfo } from './helpers.js';

const EXAMPLE_PLUGIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'examples', 'provider-thingsboard');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A project folder with the third-party example plugin installed in its node_modules. */
function projectWithExamplePlugin(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(EXAMPLE_PLUGIN, join(dir, 'node_modules', 'provisio-provider-thingsboard'), 'dir');
  return dir;
}

describe('cli: providers found as plugins, never named by the CLI', function () {
  this.timeout(60_000);
  let sim: ChildProcess | undefined;
  afterEach(() => {
    sim?.kill('SIGTERM');
    sim = undefined;
  });

  it('simulate --port <provider>=<port> places that simulator; TLS follows the plugin manifest (servesTls)', async () => {
    const dir = tempDir();
    const port = await freePort();
    const started = await startProvisio(['simulate', '--json', '--port', `huawei=${port}`], dir);
    sim = started.child;
    const info = JSON.parse(started.firstLine) as SimulateInfo;
    expect(info.endpoints.map((e) => e.instance)).to.deep.equal(['huawei', 'tencent']);
    expect(info.endpoints[0]?.url).to.equal(`https://127.0.0.1:${port}`);
    expect(info.endpoints[1]?.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(join(dir, '.provisio', 'tls', 'huawei', 'ca.pem'))).to.equal(true);
    expect(existsSync(join(dir, '.provisio', 'tls', 'tencent'))).to.equal(false);
  });

  it('simulate --port for a provider that is not running is INVALID_INPUT (exit 2) naming it', async () => {
    const result = await provisio(['simulate', '--port', 'nosuchcloud=1'], { cwd: tempDir() });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('--port').and.include('nosuchcloud').and.include('huawei, tencent');
  });

  it('demo in a project with a third-party plugin installed runs it beside the built-in ones', async () => {
    const result = await provisio(['demo'], { cwd: projectWithExamplePlugin() });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/step\s+huawei\s+tencent\s+thingsboard/);
    expect(result.stdout).to.match(/unregister(\s+3\/3 deleted; status then NOT_FOUND){3}/);
  });

  it('demo --plugin runs only the plugins named', async () => {
    const result = await provisio(['demo', '--plugin', 'provisio-provider-thingsboard'], { cwd: projectWithExamplePlugin() });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/one application, 1 clouds?/);
    expect(result.stdout).to.match(/step\s+thingsboard\s*\n/);
  });
});
