import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Provisioner, type Coordination, type ProvisioningError } from '@provisio/core';
import { loadOrCreatePki } from '@provisio/core/simulator';
import { runCoordinationSuite } from '@provisio/testkit';
import { RedisCoordination } from '../src/index.js';
import { REDIS_INSTALL_HINT, RedisServerProcess, redisServerInstalled } from '../src/testing.js';

if (!redisServerInstalled()) {
  describe('coordination port: redis', () => {
    it(`skipped: redis-server is not installed; ${REDIS_INSTALL_HINT}`, function () {
      this.skip();
    });
  });
} else {
  let server: RedisServerProcess;
  before(async () => {
    server = await RedisServerProcess.start();
  });
  after(async () => server?.stop());

  runCoordinationSuite({
    name: 'redis (a real redis-server; one connection per holder, as separate processes have)',
    connect: () => RedisCoordination.connect({ url: server.url }),
    async reset() {
      const c = await RedisCoordination.connect({ url: server.url });
      await c.redis.flushdb();
      await c.close();
    },
  });

  describe('redis coordination: connection', () => {
    it('an unreachable Redis is UNAVAILABLE and says so, before any cloud call', async () => {
      const error = (await Provisioner.create({ instances: {}, coordination: { redis: 'redis://127.0.0.1:1' } }).catch((e: unknown) => e)) as ProvisioningError;
      expect(error.code).to.equal('UNAVAILABLE');
      expect(error.message).to.match(/Redis at redis:\/\/127\.0\.0\.1:1 is unreachable/);
      expect(error.message).to.match(/does not fall back/);
    });

    it('a Redis that goes away mid-run fails the waiting calls with UNAVAILABLE, never a local limit', async () => {
      const own = await RedisServerProcess.start();
      const c: Coordination = await RedisCoordination.connect({ url: own.url });
      const limiter = c.flowLimiter('gone', { limit: 1, intervalMs: 60_000 });
      (await limiter.acquireSlot())();
      const waiting = limiter.acquireSlot().catch((e: unknown) => e);
      await own.stop();
      const error = (await waiting) as ProvisioningError;
      expect(error.code).to.equal('UNAVAILABLE');
      expect(error.message).to.match(/flow-control budget/);
      await c.close();
    });

    it('the password comes from PROVISIO_REDIS_PASSWORD when the URL has none; a wrong one is AUTHENTICATION_FAILED', async () => {
      const guarded = await RedisServerProcess.start({ password: 's3cret-pass' });
      const bare = `redis://127.0.0.1:${guarded.port}`;
      try {
        process.env.PROVISIO_REDIS_PASSWORD = 's3cret-pass';
        const ok = await RedisCoordination.connect({ url: bare });
        await ok.close();
        process.env.PROVISIO_REDIS_PASSWORD = 'wrong';
        const error = (await RedisCoordination.connect({ url: bare }).catch((e: unknown) => e)) as ProvisioningError;
        expect(error.code).to.equal('AUTHENTICATION_FAILED');
        expect(error.message).to.not.include('wrong');
      } finally {
        delete process.env.PROVISIO_REDIS_PASSWORD;
        await guarded.stop();
      }
    });

    it('rediss:// is TLS with the certificate verified: trusted through PROVISIO_REDIS_CA, refused without it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'provisio-redis-tls-'));
      const { files } = await loadOrCreatePki(dir);
      const secure = await RedisServerProcess.start({ tls: { certFile: files.serverCert, keyFile: files.serverKey, caFile: files.caCert } });
      try {
        expect(secure.url).to.match(/^rediss:\/\//);
        const untrusted = (await RedisCoordination.connect({ url: secure.url }).catch((e: unknown) => e)) as ProvisioningError;
        expect(untrusted.code).to.equal('UNAVAILABLE');
        expect(untrusted.message).to.match(/certificate/i);
        process.env.PROVISIO_REDIS_CA = files.caCert;
        const c = await RedisCoordination.connect({ url: secure.url });
        const store = c.tokenStore('tls-app');
        await store.write({ value: 'over-tls', expiresAt: Date.now() + 60_000, obtainedAt: Date.now() });
        expect((await store.read())?.value).to.equal('over-tls');
        await c.close();
      } finally {
        delete process.env.PROVISIO_REDIS_CA;
        await secure.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('the shared token is sealed in Redis: its value is not readable without the app secret', async () => {
      const c = await RedisCoordination.connect({ url: server.url });
      const store = c.tokenStore('sealed-app', { sealWith: 'app-secret' });
      await store.write({ value: 'plain-token-value', expiresAt: Date.now() + 60_000, obtainedAt: Date.now() });
      const raw = await c.redis.get('provisio:token:sealed-app');
      expect(raw).to.be.a('string').and.not.include('plain-token-value');
      expect((await store.read())?.value).to.equal('plain-token-value');
      expect(await c.tokenStore('sealed-app', { sealWith: 'other-secret' }).read()).to.equal(undefined);
      await c.close();
    });
  });
}
