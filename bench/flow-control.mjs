// Flow-control use: client limit and simulator flow control equal; how much of the budget a
// Huawei bulk-style load uses, and how many throttle answers it meets. A measurement, not a test.
// Usage: node bench/flow-control.mjs [devices=300] [limit=20] [intervalMs=1000] [concurrency=16]
import { Provisioner } from '@provisio/core';
import huawei, { HuaweiSimulator } from '@provisio/provider-huawei';

const [devices = 300, limit = 20, intervalMs = 1000, concurrency = 16] = process.argv.slice(2).map(Number);
const rate = { limit, intervalMs };
const simulator = await HuaweiSimulator.start({ flowControl: rate });
const app = simulator.apps[0];
const provisioner = await Provisioner.create({
  instances: { h: { plugin: huawei, config: { baseUrl: simulator.url, appId: app.appId, secret: app.secret, rateLimit: rate } } },
});
const provider = provisioner.get('h');
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < devices) await provider.register({ nodeId: `fc-${next++}` });
  }),
);
const elapsed = performance.now() - started;
const calls = simulator.stats.requests; // login included
// The budget lets call n (0-based) start at floor(n / limit) intervals at the earliest: the
// last call could start at floor((calls - 1) / limit) intervals. Measured to the last call's
// answer, so one call's latency counts against us.
const ideal = Math.floor((calls - 1) / limit) * intervalMs;
console.log(
  JSON.stringify({
    devices,
    rate: `${limit}/${intervalMs}ms`,
    calls,
    elapsedMs: Math.round(elapsed),
    idealMs: Math.round(ideal),
    usePercent: +((ideal / elapsed) * 100).toFixed(2),
    throttled: simulator.stats.throttled,
    logins: simulator.stats.logins,
  }),
);
await provisioner.close();
await simulator.stop();
