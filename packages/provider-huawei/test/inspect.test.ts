import { expect } from 'chai';
import { inspect } from 'node:util';
import { rig, type Rig } from './helpers.js';

describe('huawei: util.inspect and console.log show no secret', () => {
  let r: Rig;
  afterEach(async () => r?.close());

  it('provider (app secret, access and refresh tokens, PSKs) after a registration', async () => {
    r = await rig();
    const registration = await r.provider.register({ nodeId: 'inspect-me' });
    const psk = (registration.credentials as { psk?: string }).psk as string;
    const text = inspect(r.provider, { depth: 10, showHidden: true });
    expect(text).to.not.include(r.config.secret);
    expect(text).to.not.include(psk);
    expect(text).to.not.match(/accessToken|refreshToken/i);
    expect(text).to.include('huawei');
  });
});
