import { expect } from 'chai';
import { REDACTED, Redactor } from '../src/errors/redactor.js';

describe('core: the redactor holds a bounded set of issued secrets', () => {
  it('keeps the most recent issued secrets, forgets the oldest, never a configured one', () => {
    const redactor = new Redactor(['configured-app-secret'], { issuedCapacity: 3 });
    for (const psk of ['PSK-AAAA-0001', 'PSK-AAAA-0002', 'PSK-AAAA-0003', 'PSK-AAAA-0004']) redactor.addIssued(psk);
    const text = 'configured-app-secret PSK-AAAA-0001 PSK-AAAA-0002 PSK-AAAA-0003 PSK-AAAA-0004';
    expect(redactor.redact(text)).to.equal(`${REDACTED} PSK-AAAA-0001 ${REDACTED} ${REDACTED} ${REDACTED}`);
    expect(redactor.size).to.equal(4);
  });

  it('100,000 issued PSKs: the set stays at its capacity and the latest are still redacted', () => {
    const redactor = new Redactor([]);
    for (let i = 0; i < 100_000; i++) redactor.addIssued(`psk-${i.toString(16).padStart(12, '0')}`);
    expect(redactor.size).to.equal(4096);
    expect(redactor.redact('echo psk-0000000184df')).to.equal(`echo ${REDACTED}`); // 99,551: recent
  });

  it('a secret issued again moves to the front instead of being forgotten with its first copy', () => {
    const redactor = new Redactor([], { issuedCapacity: 2 });
    redactor.addIssued('token-one-1234');
    redactor.addIssued('token-two-1234');
    redactor.addIssued('token-one-1234');
    redactor.addIssued('token-three-1234');
    expect(redactor.redact('token-one-1234 token-two-1234')).to.equal(`${REDACTED} token-two-1234`);
  });

  it('an older PSK the set forgot is still caught by the patterns when it comes as psk=… or "psk":"…"', () => {
    const redactor = new Redactor([], { issuedCapacity: 1 });
    redactor.addIssued('0123456789abcdef');
    redactor.addIssued('fedcba9876543210');
    expect(redactor.redact('{"psk":"0123456789abcdef"} psk=0123456789abcdef')).to.equal(`{"psk":"${REDACTED}"} psk=${REDACTED}`);
  });
});
