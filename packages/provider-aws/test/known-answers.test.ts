import { expect } from 'chai';
import { ServerClock, type PreparedRequest } from '@provisio/core';
import { sigV4RequestSigner, sigV4Signer, signV4 } from '../src/signing/sigv4.js';
import { parseAmzDate, verifySigV4 } from '../src/simulator/sigv4-verifier.js';

/**
 * AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite, "Examples of how to
 * derive a signing key" / the suite's .authz files): access key AKIDEXAMPLE, secret
 * wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, region us-east-1, service "service",
 * 20150830T123600Z, host example.amazonaws.com. The expected signatures below are the suite's.
 */
const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const DATE = new Date('2015-08-30T12:36:00Z');
const SCOPE = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';
const VECTORS: Array<[string, string, string, string]> = [
  // name, method, URL, published signature
  ['get-vanilla', 'GET', 'https://example.amazonaws.com/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
  ['get-vanilla-query-order-key-case', 'GET', 'https://example.amazonaws.com/?Param2=value2&Param1=value1', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
  ['post-vanilla', 'POST', 'https://example.amazonaws.com/', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
  ['post-vanilla-query', 'POST', 'https://example.amazonaws.com/?Param1=value1', '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11'],
];

describe('aws: SigV4 against AWS\'s published test suite', () => {
  for (const [name, method, url, signature] of VECTORS) {
    it(`${name}: the signer yields the suite's signature`, async () => {
      const headers = await signV4(sigV4Signer(EXAMPLE, 'us-east-1', 'service'), { method, url: new URL(url), headers: {} }, DATE);
      expect(headers.authorization).to.equal(`AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=host;x-amz-date, Signature=${signature}`);
      expect(headers['x-amz-date']).to.equal('20150830T123600Z');
    });
  }

  it('get-vanilla through the HTTP layer\'s signing step, signed at the server clock\'s time', async () => {
    // A clock whose server time is the suite's instant: the step must sign with it, not Date.now().
    const signer = sigV4RequestSigner(EXAMPLE, 'us-east-1', 'service');
    signer.clock.correctFrom(DATE.toUTCString());
    const prepared: PreparedRequest = { operation: 'status', method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: undefined };
    await signer.authorize(prepared);
    expect(prepared.headers.authorization).to.match(/Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31$/);
    expect(signer.clock).to.be.instanceOf(ServerClock);
  });

  describe('the simulator\'s verifier', () => {
    const vanilla = (authorization: string, amzDate = '20150830T123600Z') => ({
      method: 'GET',
      url: new URL('http://simulator/'),
      headers: { host: 'example.amazonaws.com', 'x-amz-date': amzDate, authorization },
      body: Buffer.alloc(0),
      text: '',
    });
    const published = `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`;
    const scope = { region: 'us-east-1', service: 'service' };

    it('accepts the suite\'s get-vanilla request as published', async () => {
      expect(await verifySigV4(vanilla(published), [EXAMPLE], scope, DATE.getTime())).to.equal(undefined);
    });

    it('refuses it with one hex digit changed: InvalidSignatureException', async () => {
      const failure = await verifySigV4(vanilla(published.replace(/1$/, '2')), [EXAMPLE], scope, DATE.getTime());
      expect(failure?.type).to.equal('InvalidSignatureException');
      expect(failure?.message).to.match(/does not match the signature you provided/);
    });

    it('refuses it 6 minutes later: "Signature expired"', async () => {
      const failure = await verifySigV4(vanilla(published), [EXAMPLE], scope, DATE.getTime() + 6 * 60_000);
      expect(failure?.type).to.equal('InvalidSignatureException');
      expect(failure?.message).to.equal('Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T124200Z - 5 min.)');
    });

    it('refuses an unknown access key: UnrecognizedClientException', async () => {
      const failure = await verifySigV4(vanilla(published), [{ accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' }], scope, DATE.getTime());
      expect(failure?.type).to.equal('UnrecognizedClientException');
    });

    it('reads the basic ISO-8601 x-amz-date', () => {
      expect(parseAmzDate('20150830T123600Z')).to.equal(DATE.getTime());
    });
  });
});

describe('aws: endpoints', () => {
  it('AWS IoT\'s documented control-plane host names', async () => {
    const { defaultEndpoint } = await import('../src/config.js');
    expect(defaultEndpoint('eu-west-1')).to.equal('https://iot.eu-west-1.amazonaws.com');
    expect(defaultEndpoint('cn-north-1')).to.equal('https://iot.cn-north-1.amazonaws.com.cn');
  });
});

describe('aws: the package entry', () => {
  it("require('@provisio/provider-aws') works from CommonJS and validates with the build-time validators", async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=commonjs',
        '-e',
        `const aws = require('@provisio/provider-aws');
         let refused = '';
         try { require('@provisio/core').assertValid(aws.awsRegisterSchema, { nodeId: 'has space' }, { subject: 'request' }); } catch (e) { refused = e.field; }
         console.log(JSON.stringify({ id: aws.default.providerId, refused, ajv: Object.keys(require.cache).some((f) => f.includes('/ajv/dist/2020.js')) }));`,
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(out)).to.deep.equal({ id: 'aws', refused: 'request.nodeId', ajv: false });
  });
});
