import { expect } from 'chai';
import { inspect } from 'node:util';
import { rig, type Rig } from './helpers.js';

describe('tencent: util.inspect and console.log show no secret', () => {
  let r: Rig;
  afterEach(async () => r?.close());

  it('provider and provisioner, after calls that issued tokens and PSKs', async () => {
    r = await rig();
    const registration = await r.provider.register({ nodeId: 'inspect_me' });
    const plain = (await r.provider.decryptCredentials(registration.credentials)) as { psk: string };
    await r.provider.status({ deviceId: registration.deviceId });
    for (const text of [inspect(r.provider, { depth: 10, showHidden: true }), inspect(r.provisioner, { depth: 10, showHidden: true }), inspect({ nested: r.provider }, { depth: 10 })]) {
      expect(text).to.not.include(r.config.productSecret as string);
      expect(text).to.not.include(r.config.cloudApi?.secretKey as string);
      expect(text).to.not.include(plain.psk);
    }
    expect(inspect(r.provider)).to.include('tencent');
    expect(inspect(r.provisioner)).to.include('tencent');
  });
});
