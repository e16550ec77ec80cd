// Measures, in a fresh process, importing core and both providers and building a provisioner.
const started = performance.now();
const { Provisioner } = await import('@provisio/core');
const huawei = (await import('@provisio/provider-huawei')).default;
const tencent = (await import('@provisio/provider-tencent')).default;
const imported = performance.now();
const provisioner = await Provisioner.create({
  instances: {
    huawei: { plugin: huawei, config: { baseUrl: 'https://127.0.0.1:8743', appId: 'app', secret: 'secret' } },
    tencent: { plugin: tencent, config: { productId: 'PRODUCT1', productSecret: 'product-secret-0123' } },
  },
});
const built = performance.now();
await provisioner.close();
process.stdout.write(JSON.stringify({ importMs: +(imported - started).toFixed(1), provisionerMs: +(built - imported).toFixed(1), totalMs: +(built - started).toFixed(1) }));
