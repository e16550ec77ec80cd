import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { Provisioner } from '@provisio/core';
import tencentPlugin, {
  deviceSignature, deviceStringToSign, openPayload, sealPayload, tc3CanonicalRequest, tc3Signature, tc3StringToSign, utcDate,
} from '../src/index.js';

describe('tencent: known answers from the vendor\'s published examples', () => {
  it('dynamic registration signature, hmacsha1 (the published example in the vendor notes)', () => {
    const body = '{"ProductId":"PRODUCT_ID1","DeviceName":"DEVICENAME1"}';
    expect(createHash('sha1').update(body).digest('hex')).to.equal('88eef715f4c42652ef51b274f174f4f81a393f75');
    const input = {
      algorithm: 'hmacsha1', host: 'ap-guangzhou.gateway.tencentdevices.com', path: '/device/register',
      timestamp: 1629362589, nonce: 333464802, body, secret: 'PRODUCT_SECRETKEY',
    };
    expect(deviceStringToSign(input).split('\n')).to.deep.equal([
      'POST', 'ap-guangzhou.gateway.tencentdevices.com', '/device/register', '', 'hmacsha1', '1629362589', '333464802',
      '88eef715f4c42652ef51b274f174f4f81a393f75',
    ]);
    expect(deviceSignature(input)).to.equal('7u3+tAPlt8O4mPpBm3lambv23sw=');
  });

  it('payload decryption (seed 004): AES-128-CBC, zero padding, first Len bytes', () => {
    const payload = 's6FB3a1BA/YYbcmSE12XpeDVmQNDcf1QgVD141RRbmmAnFwQfp1ECAu5O016mCOvYlJJ6V59yM4OqQSiWphfTg==';
    expect(Buffer.from(payload, 'base64').toString('hex')).to.equal(
      'b3a141ddad4103f6186dc992135d97a5e0d599034371fd508150f5e354516e69809c5c107e9d44080bb93b4d7a9823af625249e95e7dc8ce0ea904a25a985f4e',
    );
    const plain = openPayload(payload, 53, 'hzvf5LF9S0isvBhDSauWMaIk').toString('utf8');
    expect(plain).to.equal('{"encryptionType":2,"psk":"lDZ6Uqt+I9E0wW7rvDUs7Q=="}');
    // Sealing the same plaintext with the same secret gives the vendor's bytes back.
    expect(sealPayload(plain, 'hzvf5LF9S0isvBhDSauWMaIk')).to.deep.equal({ payload, length: 53 });
  });

  it('decryptCredentials returns the seed\'s PSK through the provider', async () => {
    const provisioner = await Provisioner.create({
      instances: { t: { plugin: tencentPlugin, config: { productId: 'ASJGX', productSecret: 'hzvf5LF9S0isvBhDSauWMaIk' } } },
    });
    const credentials = await provisioner.get('t').decryptCredentials({
      kind: 'sealed', scheme: 'tencent/aes-128-cbc-zero', length: 53,
      payload: 's6FB3a1BA/YYbcmSE12XpeDVmQNDcf1QgVD141RRbmmAnFwQfp1ECAu5O016mCOvYlJJ6V59yM4OqQSiWphfTg==',
    });
    expect(credentials).to.deep.equal({ kind: 'psk', psk: 'lDZ6Uqt+I9E0wW7rvDUs7Q==', encoding: 'base64' });
    await provisioner.close();
  });

  it('TC3-HMAC-SHA256: the worked example of Tencent\'s Cloud API signing guide (CVM DescribeInstances)', () => {
    const input = {
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      method: 'POST',
      contentType: 'application/json; charset=utf-8',
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
      timestamp: 1551113065,
    };
    expect(createHash('sha256').update(input.payload).digest('hex')).to.equal('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    expect(createHash('sha256').update(tc3CanonicalRequest(input)).digest('hex')).to.equal(
      '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(tc3StringToSign(input)).to.equal(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(tc3Signature(input)).to.equal('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
  });

  it('dates the credential scope in UTC (00:44 in UTC+8 is still the previous day)', () => {
    expect(utcDate(1551113065)).to.equal('2019-02-25');
  });
});
