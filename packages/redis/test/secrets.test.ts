import { expect } from 'chai';
import { inspect } from 'node:util';
import { Provisioner, type ProvisioningError } from '@provisio/core';
import huaweiPlugin, { HuaweiSimulator, type HuaweiProvider } from '@provisio/provider-huawei';
import { REDIS_INSTALL_HINT, RedisServerProcess, redisServerInstalled } from '../src/testing.js';

if (!redisServerInstalled()) {
  describe('redis coordination: secrets', () => {
    it(`skipped: redis-server is not installed; ${REDIS_INSTALL_HINT}`, function () {
      this.skip();
    });
  });
} else {
  describe('redis coordination: secrets', function () {
    this.timeout(20_000);

    it('nothing secret in util.inspect or JSON of the provisioner, the provider, its token manager or an error: Redis password, app secret, token, verify code', async () => {
      const redisPassword = 'redis-pass-7f3a91';
      const redis = await RedisServerProcess.start({ password: redisPassword });
      const sim = await HuaweiSimulator.start({ flowControl: false });
      const app = sim.apps[0] as { appId: string; secret: string };
      const provisioner = await Provisioner.create({
        instances: { hw: { plugin: huaweiPlugin, config: { baseUrl: sim.url, appId: app.appId, secret: app.secret, rateLimit: { limit: 50, intervalMs: 1000 } } } },
        coordination: { redis: redis.url },
      });
      try {
        const provider = provisioner.get('hw') as HuaweiProvider;
        const registration = await provider.register({ nodeId: 'secret-check' });
        const token = await provider.tokens.get();
        const error = (await provider.register({ nodeId: 'secret-check' }).catch((e: unknown) => e)) as ProvisioningError;
        expect(error.code).to.equal('ALREADY_EXISTS');
        const shown = [
          inspect(provisioner, { depth: Infinity }),
          inspect(provider, { depth: Infinity }),
          inspect(provider.tokens, { depth: Infinity }),
          inspect(provisioner.coordination, { depth: Infinity }),
          JSON.stringify(provisioner.coordination),
          inspect(error, { depth: Infinity }),
          JSON.stringify(error),
        ].join('\n');
        const verifyCode = (registration.credentials as { verifyCode?: string }).verifyCode as string;
        for (const secret of [redisPassword, app.secret, token, verifyCode]) expect(shown).to.not.include(secret);
      } finally {
        // Each one stops even if another fails to.
        await Promise.allSettled([provisioner.close(), sim.stop(), redis.stop()]);
      }
    });
  });
}
