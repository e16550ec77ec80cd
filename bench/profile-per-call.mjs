// A per-call workload to profile (not a benchmark): 8,000 Huawei registrations, 16 in flight,
// the simulator in its own process. Run: node --cpu-prof --cpu-prof-dir /tmp/prof bench/profile-per-call.mjs
// (the simulator's process writes its own profile beside it).
import { Provisioner } from '@provisio/core';
import huawei from '@provisio/provider-huawei';
import { startSimulators } from './lib.mjs';

const sim = await startSimulators({ huawei: {} });
const { url, appId, secret } = sim.huawei;
// rateLimit off: the simulator's flow control is off; this measures the client's own work.
const p = await Provisioner.create({ instances: { h: { plugin: huawei, config: { baseUrl: url, appId, secret, rateLimit: false } } } });
const provider = p.get('h');
let n = 0;
const started = performance.now();
await Promise.all(Array.from({ length: 16 }, async () => { while (n < 8000) await provider.register({ nodeId: `p${n++}`, validitySeconds: 0 }); }));
console.error(`8000 registrations in ${Math.round(performance.now() - started)} ms`);
await p.close();
await sim.stop();
