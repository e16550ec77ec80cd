// One bulk run in its own process, so its peak RSS is its own.
// usage: node bench/bulk-child.mjs <provisio|raw> <input.jsonl> <output.jsonl> <baseUrl> <appId> <secret> <concurrency>
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Provisioner } from '@provisio/core';
import { runBulk } from '@provisio/cli/bulk';
import huawei from '@provisio/provider-huawei';
import { axiosClient, rawLogin } from './raw-huawei.mjs';

const [mode, input, output, baseUrl, appId, secret, concurrencyText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const started = performance.now();
let devices = 0;

if (mode === 'provisio') {
  // rateLimit: false: this measures provisio's own bulk overhead against a raw loop on an unthrottled
  // simulator; a client limit would measure the limit instead (flow control: bench/flow-control.mjs).
  const provisioner = await Provisioner.create({ instances: { h: { plugin: huawei, config: { baseUrl, appId, secret, rateLimit: false } } } });
  const summary = await runBulk({ provider: provisioner.get('h'), input, output, concurrency, strict: false });
  devices = summary.registered;
  await provisioner.close();
} else {
  // The hand-written loop: read lines, register with `concurrency` in flight, append results.
  const client = axiosClient(baseUrl, appId, await rawLogin(baseUrl, appId, secret));
  const out = createWriteStream(output, { flags: 'a', mode: 0o600 });
  const lines = createInterface({ input: createReadStream(input, 'utf8') })[Symbol.asyncIterator]();
  let queue = Promise.resolve();
  const nextLine = () => (queue = queue.then(() => lines.next()));
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const { value, done } = await nextLine();
        if (done) return;
        const { nodeId } = JSON.parse(value);
        const answer = await client.register(nodeId);
        out.write(`${JSON.stringify({ nodeId, ...answer })}\n`);
        devices++;
      }
    }),
  );
  await new Promise((r) => out.end(r));
}

const elapsedMs = performance.now() - started;
process.stdout.write(
  JSON.stringify({ mode, devices, elapsedMs: Math.round(elapsedMs), devicesPerSec: Math.round((devices / elapsedMs) * 1000), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }),
);
