// A per-call workload to profile (not a benchmark): 8,000 Huawei registrations (or, with `status`,
// 8,000 status calls = 16,000 requests), 16 in flight, the simulator in its own process.
// Run: node --cpu-prof --cpu-prof-dir /tmp/prof bench/profile-per-call.mjs [register|status]
// (the simulator's process writes its own profile beside it); bench/profile-summary.mjs sums it.
import { Provisioner } from '@provisio/core';
import huawei from '@provisio/provider-huawei';
import { startSimulators } from './lib.mjs';

const sim = await startSimulators({ huawei: {} });
const { url, appId, secret } = sim.huawei;
// rateLimit off: the simulator's flow control is off; this measures the client's own work.
const p = await Provisioner.create({ instances: { h: { plugin: huawei, config: { baseUrl: url, appId, secret, rateLimit: false } } } });
const provider = p.get('h');
const mode = process.argv[2] ?? 'register';
const ref = mode === 'status' ? { deviceId: (await provider.register({ nodeId: 'status-target', validitySeconds: 0 })).deviceId } : undefined;
let n = 0;
const started = performance.now();
const call = ref ? () => provider.status(ref) : () => provider.register({ nodeId: `p${n}`, validitySeconds: 0 });
await Promise.all(Array.from({ length: 16 }, async () => { while (n < 8000) { n++; await call(); } }));
console.error(`8000 ${mode} calls in ${Math.round(performance.now() - started)} ms`);
await p.close();
await sim.stop();
