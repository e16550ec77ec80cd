import { expect } from 'chai';
import { inspect } from 'node:util';
import { failure, rig, type Rig } from './helpers.js';

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

describe('huawei: a PSK or verify code the caller supplies is redacted when the cloud echoes it (issue 13.7)', () => {
  let r: Rig;
  afterEach(async () => r?.close());

  it('register and rekey: not in message, vendorMessage, stack, JSON.stringify or util.inspect', async () => {
    r = await rig({}, { retry: { maxAttempts: 1 } });
    await r.provider.register({ nodeId: 'echo-warm-up' }); // the login is not the call under test
    const psk = '0123456789ABCDEF0123456789ABCDEF';
    const verifyCode = 'FACTORY-CODE-7731';
    const echo = `{"error_code":"100003","error_desc":"Invalid verify code ${verifyCode} for psk ${psk}"}`;
    r.simulator.injectFault({ kind: 'status', status: 400, body: echo, times: 1 });
    const registerError = await failure(r.provider.register({ nodeId: 'echo-1', psk, verifyCode }));
    const registered = await r.provider.register({ nodeId: 'echo-2' });
    r.simulator.injectFault({ kind: 'status', status: 400, body: echo.replace(psk, 'x'), times: 1 });
    const rekeyError = await failure(r.provider.rekey({ deviceId: registered.deviceId }, { verifyCode }));
    for (const error of [registerError, rekeyError]) {
      const text = [error.message, error.vendorMessage ?? '', error.stack ?? '', JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })].join('\n');
      expect(text, error.operation).to.not.include(psk);
      expect(text, error.operation).to.not.include(verifyCode);
      expect(text, error.operation).to.include('[REDACTED]');
    }
  });
});
