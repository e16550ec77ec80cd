// Sums a --cpu-prof profile: self time of provisio's own functions (packages/*/dist), of axios,
// and the total. Run: node bench/profile-summary.mjs <file.cpuprofile> [calls]
import { readFileSync } from 'node:fs';

const [file, callsArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const calls = Number(callsArg ?? 0);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i]));
const own = new Map();
let total = 0;
let ours = 0;
let axios = 0;
for (const [id, us] of self) {
  const { url, functionName, lineNumber } = byId.get(id).callFrame;
  total += us;
  if (url.includes('/node_modules/axios/')) axios += us;
  const m = /\/(packages\/[^/]+|examples\/[^/]+)\/dist\/src\/(.*)$/.exec(url);
  if (!m) continue;
  ours += us;
  const key = `${functionName || '(anonymous)'} ${m[1].replace('packages/', '')}/${m[2]}:${lineNumber + 1}`;
  own.set(key, (own.get(key) ?? 0) + us);
}
const ms = (us) => `${(us / 1000).toFixed(0)} ms`;
const per = (us) => (calls ? ` (${(us / calls).toFixed(1)} µs a call)` : '');
console.log(`total ${ms(total)}; provisio's own code ${ms(ours)}${per(ours)}; axios ${ms(axios)}${per(axios)}`);
for (const [key, us] of [...own].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${ms(us).padStart(8)}${per(us)}  ${key}`);
