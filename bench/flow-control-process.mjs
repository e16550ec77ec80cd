// Flow-control use with the simulator in ANOTHER process (`provisio simulate`, mutual TLS), as a
// real cloud is: client limit and simulator flow control equal (`--rate-limit`), a bulk-style
// load of Huawei registrations. Prints the share of the budget used and the throttle answers.
// A measurement, not a test. Usage: node bench/flow-control-process.mjs [devices=300] [rate=20/1s] [concurrency=16]
import { Provisioner, resolveEnvReferences } from '@provisio/core';
import huawei from '@provisio/provider-huawei';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simControl, startProvisio, tempDir } from '../packages/cli/dist/test/helpers.js';

const [devicesArg = '300', rate = '20/1s', concurrencyArg = '16'] = process.argv.slice(2);
const devices = Number(devicesArg);
const concurrency = Number(concurrencyArg);
const dir = tempDir();
const started = await startProvisio(['simulate', '--write-config', 'provisio.config.json', '--json', '--rate-limit', rate], dir);
const info = JSON.parse(started.firstLine);
try {
  Object.assign(process.env, info.env);
  const config = resolveEnvReferences(JSON.parse(readFileSync(join(dir, 'provisio.config.json'), 'utf8')).instances.huawei.config);
  // TLS file paths in the written config are relative to its folder.
  for (const key of ['caFile', 'pfxFile', 'certFile', 'keyFile']) if (config.tls?.[key]) config.tls[key] = resolve(dir, config.tls[key]);
  const { limit, intervalMs } = config.rateLimit;
  const provisioner = await Provisioner.create({ instances: { h: { plugin: huawei, config } } });
  const provider = provisioner.get('h');
  const before = (await simControl(info, dir, 'huawei', 'GET', '/__sim/stats')).json;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < devices) await provider.register({ nodeId: `fcp-${next++}`, validitySeconds: 0 });
    }),
  );
  const elapsed = performance.now() - t0;
  const after = (await simControl(info, dir, 'huawei', 'GET', '/__sim/stats')).json;
  const calls = after.requests - before.requests; // the login included
  const ideal = Math.floor((calls - 1) / limit) * intervalMs;
  console.log(
    JSON.stringify({
      devices,
      rate,
      simulator: 'another process (provisio simulate, mutual TLS)',
      calls,
      elapsedMs: Math.round(elapsed),
      idealMs: ideal,
      usePercent: +((ideal / elapsed) * 100).toFixed(2),
      throttled: after.throttled - before.throttled,
    }),
  );
  await provisioner.close();
} finally {
  started.child.kill('SIGTERM');
}
