// The simulators in their own process (as a real cloud is): the client process's CPU time is
// then its own, and the two share the machine's cores as they would in production.
// Started with fork(); argv[2] is JSON: { huawei?: { flowControl }, tencent?: {} }.
// Sends { ready, huawei: {url, appId, secret}, tencent: {url, productId, productSecret, secretId, secretKey} };
// answers { cmd: 'stats' } with both simulators' counters; exits when the parent disconnects.
import { randomBytes } from 'node:crypto';
import { HuaweiSimulator } from '@provisio/provider-huawei';
import { TencentSimulator } from '@provisio/provider-tencent';

const wanted = JSON.parse(process.argv[2] ?? '{}');
const out = { ready: true };
let huawei;
let tencent;
if (wanted.huawei) {
  // One app per client: Huawei keeps only an app's newest token, so clients sharing an app would log each other out.
  const apps = Array.from({ length: 4 }, (_, i) => ({ appId: `bench-app-${i}`, secret: randomBytes(12).toString('hex') }));
  huawei = await HuaweiSimulator.start({ flowControl: wanted.huawei.flowControl ?? false, apps });
  out.huawei = { url: huawei.url, appId: apps[0].appId, secret: apps[0].secret, apps };
}
if (wanted.tencent) {
  tencent = await TencentSimulator.start({});
  const product = tencent.products[0];
  const key = tencent.keys[0];
  out.tencent = { url: tencent.url, productId: product.productId, productSecret: product.productSecret, secretId: key.secretId, secretKey: key.secretKey };
}
process.on('message', (message) => {
  if (message?.cmd === 'stats') process.send({ stats: { huawei: huawei ? { ...huawei.stats } : undefined, tencent: tencent ? { ...tencent.stats } : undefined } });
});
process.on('disconnect', async () => {
  await huawei?.stop();
  await tencent?.stop();
  process.exit(0);
});
process.send(out);
