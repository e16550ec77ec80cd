import { expect } from 'chai';
import { DEFAULT_MAX_RECENT_SECRETS, ERROR_CODE_LIST, ProvisioningError, Redactor, REDACTED, isProvisioningError } from '../src/index.js';

describe('core: ProvisioningError', () => {
  it('documents a small fixed set of codes', () => {
    expect(ERROR_CODE_LIST).to.have.members([
      'INVALID_INPUT', 'AUTHENTICATION_FAILED', 'ACCESS_DENIED', 'NOT_FOUND', 'ALREADY_EXISTS', 'DEVICE_ONLINE',
      'DEVICE_NOT_ACTIVE', 'RATE_LIMITED', 'QUOTA_EXCEEDED', 'UNSUPPORTED', 'DECRYPTION_FAILED', 'TIMEOUT',
      'UNAVAILABLE', 'INTERNAL',
    ]);
  });

  it('carries provider, operation, vendor code, status, request id and a default retryable flag', () => {
    const error = new ProvisioningError({
      code: 'RATE_LIMITED', message: 'slow down', provider: 'huawei', operation: 'register',
      vendorCode: '1010009', httpStatus: 403, requestId: 'req-1',
    });
    expect(error).to.be.instanceOf(Error);
    expect(isProvisioningError(error)).to.equal(true);
    expect(error.retryable).to.equal(true);
    expect(error.$metadata).to.deep.equal({ httpStatusCode: 403, requestId: 'req-1' });
    expect(error.toJSON()).to.include({ code: 'RATE_LIMITED', provider: 'huawei', vendorCode: '1010009', httpStatus: 403 });
    expect(new ProvisioningError({ code: 'NOT_FOUND', message: 'x' }).retryable).to.equal(false);
  });

  it('never puts a known secret, a bearer token or a private key in message, stack or JSON', () => {
    const redactor = new Redactor(['s3cr3t-app-secret', 'A1B2C3D4E5F6A7B8']);
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';
    const error = new ProvisioningError({
      code: 'AUTHENTICATION_FAILED',
      message: `login with s3cr3t-app-secret failed; psk A1B2C3D4E5F6A7B8; Authorization: Bearer abc.def.ghi; ${key}`,
      vendorMessage: 'secret=s3cr3t-app-secret rejected',
      details: { note: 'psk=A1B2C3D4E5F6A7B8' },
      redactor,
    });
    const all = `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${String(error)}`;
    for (const secret of ['s3cr3t-app-secret', 'A1B2C3D4E5F6A7B8', 'abc.def.ghi', 'MIIEvQIBADANBg']) {
      expect(all).to.not.include(secret);
    }
    expect(error.message).to.include(REDACTED);
  });

  it('keeps recovered credentials reachable but out of JSON and enumeration', () => {
    const error = new ProvisioningError({
      code: 'UNAVAILABLE', message: 'failed after issuing', recovered: { psk: 'ISSUED-PSK-VALUE' },
    });
    expect((error.recovered as { psk: string }).psk).to.equal('ISSUED-PSK-VALUE');
    expect(JSON.stringify(error)).to.not.include('ISSUED-PSK-VALUE');
    expect(Object.keys(error)).to.not.include('recovered');
    expect(error.toJSON().hasRecoveredCredentials).to.equal(true);
  });

  it('keeps only a redacted copy of a foreign cause, so util.inspect (console.log) shows no secret', async () => {
    const { inspect } = await import('node:util');
    const raw = Object.assign(new Error('request failed'), {
      code: 'ECONNRESET',
      config: { headers: { Authorization: 'Bearer tok-123456789' }, data: 'appId=a&secret=hunter2-secret' },
    });
    const error = new ProvisioningError({ code: 'UNAVAILABLE', message: 'down', cause: raw, redactor: new Redactor(['hunter2-secret']) });
    const printed = inspect(error, { depth: 10 });
    expect(printed).to.not.include('tok-123456789').and.not.include('hunter2-secret');
    expect((error.cause as { code?: string }).code).to.equal('ECONNRESET');
  });

  it('redacts URL-encoded forms of secrets too', () => {
    const redactor = new Redactor(['a+b/c=secret']);
    expect(redactor.redact('appId=1&secret=a%2Bb%2Fc%3Dsecret')).to.not.include('a%2Bb');
  });
});

describe('core: the redactor\'s patterns leave ordinary words and advice alone', () => {
  it('keeps validation wording and placeholders, removes real values', async () => {
    const { patternRedactor } = await import('../src/index.js');
    expect(patternRedactor.redact('productSecret: must NOT have fewer than 16 characters')).to.equal('productSecret: must NOT have fewer than 16 characters');
    expect(patternRedactor.redact('Invalid request.psk: must match ^[0-9A-F]{32}$')).to.equal('Invalid request.psk: must match ^[0-9A-F]{32}$');
    expect(patternRedactor.redact('export PROVISIO_HUAWEI_SECRET=... before running')).to.equal('export PROVISIO_HUAWEI_SECRET=... before running');
    expect(patternRedactor.redact('"secret": "${HUAWEI_SECRET}"')).to.equal('"secret": "${HUAWEI_SECRET}"');
    expect(patternRedactor.redact('secret=s3cr3t-Value&appId=x')).to.equal('secret=[REDACTED]&appId=x');
    expect(patternRedactor.redact('{"psk":"0123456789abcdef"}')).to.equal('{"psk":"[REDACTED]"}');
    expect(patternRedactor.redact('accessToken: abcdefghijklmnopqrstuv')).to.equal('accessToken: [REDACTED]');
  });
});

describe('core: the redactor stays bounded (issue 13.9)', () => {
  it('remembers at most maxRecentSecrets run-time secrets; configured and held ones are never evicted', () => {
    const redactor = new Redactor(['configured-app-secret'], { maxRecentSecrets: 100 });
    redactor.hold('token', 'current-access-token');
    for (let i = 0; i < 100_000; i++) redactor.add(`issued-psk-${i}`);
    // 1 configured + 1 held + 100 recent: not 100,002.
    expect(redactor.size).to.equal(102);
    const text = redactor.redact('configured-app-secret current-access-token issued-psk-99999 issued-psk-99900');
    expect(text).to.equal(`${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED}`);
    // The oldest run-time secret was let go: the bound is real.
    expect(redactor.redact('issued-psk-0 ')).to.equal('issued-psk-0 ');
  });

  it('the default bound is finite', () => {
    const redactor = new Redactor();
    for (let i = 0; i < DEFAULT_MAX_RECENT_SECRETS + 500; i++) redactor.add(`psk-value-${i}`);
    expect(redactor.size).to.equal(DEFAULT_MAX_RECENT_SECRETS);
  });

  it('a held token replaced by a new one stays redacted as a recent secret; re-adding refreshes a secret\'s place', () => {
    const redactor = new Redactor([], { maxRecentSecrets: 3 });
    redactor.hold('token', 'first-token-value');
    redactor.hold('token', 'second-token-value');
    expect(redactor.redact('first-token-value second-token-value')).to.equal(`${REDACTED} ${REDACTED}`);
    redactor.add('aaaa-1');
    redactor.add('first-token-value'); // used again: most recent now
    redactor.add('aaaa-2');
    redactor.add('aaaa-3');
    expect(redactor.redact('first-token-value aaaa-1')).to.equal(`${REDACTED} aaaa-1`);
  });

  it('a secret added after a redact is redacted by the next one (the sorted list is rebuilt on change)', () => {
    const redactor = new Redactor();
    redactor.add('short');
    expect(redactor.redact('short shortlonger')).to.equal(`${REDACTED} ${REDACTED}longer`);
    redactor.add('shortlonger');
    expect(redactor.redact('short shortlonger')).to.equal(`${REDACTED} ${REDACTED}`);
  });
});
