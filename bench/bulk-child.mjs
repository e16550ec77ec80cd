// One bulk run in its own process, so its peak RSS is its own.
// usage: node bench/bulk-child.mjs <provisio|raw-durable|raw> <input.jsonl> <output.jsonl> <huawei JSON> <concurrency>
//
// raw: the hand-written loop an application would write: read lines, register with
//   `concurrency` in flight (axios configured as provisio's client), append each result.
// raw-durable: the same loop with provisio's guarantees written by hand: a start record on disk
//   (fdatasync) before each call and the result on disk after it, concurrent writes sharing one
//   sync (group commit), so that a crash never loses credentials or hides a call that was sent.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { huaweiClient } from './baselines.mjs';

const [mode, input, output, huaweiJson, concurrencyText] = process.argv.slice(2);
const huawei = JSON.parse(huaweiJson);
const concurrency = Number(concurrencyText);
let devices = 0;
let started;

/** Appends lines; `append` resolves once its line is synced (one fdatasync per batch), or at once when not durable. */
async function appender(path, durable) {
  const handle = await open(path, 'a', 0o600);
  let queue = [];
  let flushing;
  const flush = async () => {
    while (queue.length) {
      const batch = queue;
      queue = [];
      await handle.write(batch.map((b) => b.text).join(''));
      if (durable) await handle.datasync();
      for (const b of batch) b.done();
    }
    flushing = undefined;
  };
  return {
    append: (record) =>
      new Promise((done) => {
        queue.push({ text: `${JSON.stringify(record)}\n`, done });
        flushing ??= flush();
      }),
    close: async () => {
      await flushing;
      await handle.close();
    },
  };
}

if (mode === 'provisio') {
  const { Provisioner } = await import('@provisio/core');
  const { runBulk } = await import('@provisio/cli/bulk');
  const huaweiPlugin = (await import('@provisio/provider-huawei')).default;
  started = performance.now();
  // rateLimit off: the simulator's flow control is off too (throughput is measured, not flow control).
  const provisioner = await Provisioner.create({ instances: { h: { plugin: huaweiPlugin, config: { baseUrl: huawei.url, appId: huawei.appId, secret: huawei.secret, rateLimit: false } } } });
  const summary = await runBulk({ provider: provisioner.get('h'), input, output, concurrency, strict: false });
  devices = summary.registered;
  await provisioner.close();
} else {
  started = performance.now();
  const durable = mode === 'raw-durable';
  const client = await huaweiClient('axios', huawei);
  const journal = durable ? await appender(`${output}.journal`, true) : undefined;
  const out = await appender(output, durable);
  const lines = createInterface({ input: createReadStream(input, 'utf8') })[Symbol.asyncIterator]();
  let queue = Promise.resolve();
  const nextLine = () => (queue = queue.then(() => lines.next()));
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const { value, done } = await nextLine();
        if (done) return;
        const { nodeId } = JSON.parse(value);
        await journal?.append({ t: 'start', node: nodeId });
        const answer = await client.register(nodeId);
        await out.append({ nodeId, ...answer });
        devices++;
      }
    }),
  );
  await journal?.close();
  await out.close();
  client.close();
}

const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage();
process.stdout.write(
  JSON.stringify({ mode, devices, elapsedMs: Math.round(elapsedMs), devicesPerSec: Math.round((devices / elapsedMs) * 1000), cpuUsPerDevice: Math.round((cpu.user + cpu.system) / devices), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }),
);
