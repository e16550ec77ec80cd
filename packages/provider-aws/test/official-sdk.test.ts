import { expect } from 'chai';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateCertificateFromCsrCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DeleteThingCommand,
  DescribeThingCommand,
  DetachThingPrincipalCommand,
  GetThingConnectivityDataCommand,
  IoTClient,
  UpdateCertificateCommand,
  type IoTClientConfig,
} from '@aws-sdk/client-iot';
import { AwsSimulator } from '../src/index.js';
import { deviceCsr } from './helpers.js';

/** What an SDK call failed with: the modelled exception's name (or the error type AWS sent). */
async function sdkError(call: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the SDK call to fail');
}

describe('aws: the official @aws-sdk/client-iot against the simulator, unchanged', function () {
  let simulator: AwsSimulator;
  let client: IoTClient;
  let config: IoTClientConfig;

  before(async () => {
    // Published per-API limits on: the SDK's calls here stay far below them.
    simulator = await AwsSimulator.start({ region: 'eu-west-1' });
    const key = simulator.keys[0] as { accessKeyId: string; secretAccessKey: string };
    // Only the endpoint and static credentials: everything else is the SDK's default.
    config = { region: 'eu-west-1', endpoint: simulator.url, credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } };
    client = new IoTClient(config);
  });

  after(async () => {
    client.destroy();
    await simulator.stop();
  });

  it('provisions and retires a device: CreateThing ... DeleteThing', async () => {
    const thingName = 'sdk-sensor:01';
    const thing = await client.send(new CreateThingCommand({ thingName, attributePayload: { attributes: { batch: 'b1' } } }));
    expect(thing.thingArn).to.equal(`arn:aws:iot:eu-west-1:${simulator.accountId}:thing/${thingName}`);
    // The same configuration again: success (AWS's rule), same thing.
    expect((await client.send(new CreateThingCommand({ thingName, attributePayload: { attributes: { batch: 'b1' } } }))).thingId).to.equal(thing.thingId);

    const cert = await client.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const x509 = new X509Certificate(cert.certificatePem as string);
    expect(x509.verify(new X509Certificate(simulator.ca.certificatePem).publicKey), 'issued by the simulator CA').to.equal(true);
    expect(x509.checkPrivateKey(createPrivateKey(cert.keyPair?.PrivateKey as string))).to.equal(true);
    expect(cert.certificateId).to.equal(x509.fingerprint256.replace(/:/g, '').toLowerCase());

    const { csr, privateKey } = await deviceCsr(thingName);
    const fromCsr = await client.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csr, setAsActive: true }));
    expect(new X509Certificate(fromCsr.certificatePem as string).checkPrivateKey(createPrivateKey(privateKey)), 'certificate for the CSR key').to.equal(true);

    for (const c of [cert, fromCsr]) {
      await client.send(new AttachThingPrincipalCommand({ thingName, principal: c.certificateArn }));
      await client.send(new AttachPolicyCommand({ policyName: 'provisio-sim-policy', target: c.certificateArn }));
    }
    const described = await client.send(new DescribeThingCommand({ thingName }));
    expect(described).to.include({ thingName, defaultClientId: thingName, thingId: thing.thingId });
    expect(described.attributes).to.deep.equal({ batch: 'b1' });

    expect((await client.send(new GetThingConnectivityDataCommand({ thingName }))).connected).to.equal(false);
    simulator.connect(thingName, cert.certificatePem as string, cert.keyPair?.PrivateKey);
    const online = await client.send(new GetThingConnectivityDataCommand({ thingName }));
    expect(online.connected).to.equal(true);
    expect(online.timestamp).to.be.instanceOf(Date);
    simulator.disconnect(thingName);
    const offline = await client.send(new GetThingConnectivityDataCommand({ thingName }));
    expect(offline).to.include({ connected: false, disconnectReason: 'CLIENT_INITIATED_DISCONNECT' });

    for (const c of [cert, fromCsr]) {
      await client.send(new UpdateCertificateCommand({ certificateId: c.certificateId, newStatus: 'INACTIVE' }));
      await client.send(new DetachThingPrincipalCommand({ thingName, principal: c.certificateArn }));
      await client.send(new DeleteCertificateCommand({ certificateId: c.certificateId, forceDelete: true }));
    }
    await client.send(new DeleteThingCommand({ thingName }));
    expect((await sdkError(client.send(new DescribeThingCommand({ thingName })))).name).to.equal('ResourceNotFoundException');
  });

  describe('failure paths, with the exceptions the SDK models', () => {
    it('a missing thing: ResourceNotFoundException (404)', async () => {
      const e = await sdkError(client.send(new DescribeThingCommand({ thingName: 'nobody' })));
      expect(e).to.include({ name: 'ResourceNotFoundException', status: 404 });
      expect(e.message).to.equal('Thing nobody cannot be found.');
    });

    it('CreateThing with other attributes: ResourceAlreadyExistsException (409)', async () => {
      await client.send(new CreateThingCommand({ thingName: 'taken', attributePayload: { attributes: { a: '1' } } }));
      const e = await sdkError(client.send(new CreateThingCommand({ thingName: 'taken', attributePayload: { attributes: { a: '2' } } })));
      expect(e).to.include({ name: 'ResourceAlreadyExistsException', status: 409 });
    });

    it('deleting an ACTIVE certificate: CertificateStateException (406); one still attached: DeleteConflictException (409)', async () => {
      await client.send(new CreateThingCommand({ thingName: 'holder' }));
      const cert = await client.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
      await client.send(new AttachThingPrincipalCommand({ thingName: 'holder', principal: cert.certificateArn }));
      expect(await sdkError(client.send(new DeleteCertificateCommand({ certificateId: cert.certificateId })))).to.include({ name: 'CertificateStateException', status: 406 });
      await client.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'INACTIVE' }));
      expect(await sdkError(client.send(new DeleteCertificateCommand({ certificateId: cert.certificateId })))).to.include({ name: 'DeleteConflictException', status: 409 });
      // And the thing cannot go while the certificate is attached.
      expect(await sdkError(client.send(new DeleteThingCommand({ thingName: 'holder' })))).to.include({ name: 'InvalidRequestException', status: 400 });
    });

    it('a revoked certificate cannot be activated again: CertificateStateException', async () => {
      const cert = await client.send(new CreateKeysAndCertificateCommand({ setAsActive: false }));
      await client.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'REVOKED' }));
      expect((await sdkError(client.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'ACTIVE' })))).name).to.equal('CertificateStateException');
    });

    it('a policy that does not exist: ResourceNotFoundException; a CSR that is not one: InvalidRequestException', async () => {
      const cert = await client.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
      expect((await sdkError(client.send(new AttachPolicyCommand({ policyName: 'no-such-policy', target: cert.certificateArn })))).name).to.equal('ResourceNotFoundException');
      const bad = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END CERTIFICATE REQUEST-----';
      expect(await sdkError(client.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: bad })))).to.include({ name: 'InvalidRequestException', status: 400 });
    });

    it('a wrong secret key: InvalidSignatureException (403), the signature AWS says does not match', async () => {
      const impostor = new IoTClient({ ...config, credentials: { accessKeyId: simulator.keys[0]?.accessKeyId as string, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } });
      const e = await sdkError(impostor.send(new DescribeThingCommand({ thingName: 'taken' })));
      impostor.destroy();
      expect(e).to.include({ name: 'InvalidSignatureException', status: 403 });
      expect(e.message).to.match(/^The request signature we calculated does not match the signature you provided/);
    });

    it('an unknown access key: UnrecognizedClientException (403)', async () => {
      const stranger = new IoTClient({ ...config, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' } });
      const e = await sdkError(stranger.send(new DescribeThingCommand({ thingName: 'taken' })));
      stranger.destroy();
      expect(e).to.include({ name: 'UnrecognizedClientException', status: 403 });
    });

    it('a clock 10 minutes off: "Signature expired" without retries; the SDK\'s own skew correction then succeeds', async () => {
      simulator.setClockSkew(600);
      try {
        const once = new IoTClient({ ...config, maxAttempts: 1 });
        const e = await sdkError(once.send(new DescribeThingCommand({ thingName: 'taken' })));
        once.destroy();
        expect(e).to.include({ name: 'InvalidSignatureException', status: 403 });
        expect(e.message).to.match(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
        // Default retries: the SDK reads the Date header, corrects its offset and signs again.
        const corrected = new IoTClient(config);
        expect((await corrected.send(new DescribeThingCommand({ thingName: 'taken' }))).thingName).to.equal('taken');
        expect(Math.round((corrected.config.systemClockOffset ?? 0) / 1000)).to.be.within(595, 605);
        corrected.destroy();
      } finally {
        simulator.setClockSkew(0);
      }
    });

    it('over an API\'s rate: ThrottlingException', async () => {
      const tight = await AwsSimulator.start({ apiTps: { DescribeThing: 2 } });
      const key = tight.keys[0] as { accessKeyId: string; secretAccessKey: string };
      const sdk = new IoTClient({ region: 'us-east-1', endpoint: tight.url, credentials: key, maxAttempts: 1 });
      try {
        const results = await Promise.allSettled(Array.from({ length: 4 }, () => sdk.send(new DescribeThingCommand({ thingName: 'x' }))));
        const names = results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : 'ok'));
        expect(names.filter((n) => n === 'ResourceNotFoundException')).to.have.length(2);
        expect(names.filter((n) => n === 'ThrottlingException')).to.have.length(2);
      } finally {
        sdk.destroy();
        await tight.stop();
      }
    });
  });
});
