import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { Provisioner } from '@provisio/core';
import type forgeTypes from 'node-forge';
import awsPlugin, { AwsSimulator, type AwsConfig, type AwsProvider, type AwsSimulatorOptions } from '../src/index.js';

export interface Rig {
  simulator: AwsSimulator;
  provider: AwsProvider;
  config: AwsConfig;
  /** Another instance on the same simulator with a config override. */
  with(override: Partial<AwsConfig>): Promise<AwsProvider>;
  close(): Promise<void>;
}

/**
 * A provider pointed at a simulator. The simulator enforces AWS's published per-API limits unless
 * told otherwise, and the provider keeps its default limiters (they mirror them).
 */
export async function rig(simOptions: AwsSimulatorOptions = {}, override: Partial<AwsConfig> = {}): Promise<Rig> {
  const simulator = await AwsSimulator.start(simOptions);
  const key = simulator.keys[0] as { accessKeyId: string; secretAccessKey: string };
  const config: AwsConfig = {
    region: simulator.region,
    endpoint: simulator.url,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    policyName: [...simulator.policies][0] as string,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 50 },
    ...override,
  };
  const provisioners: Provisioner[] = [];
  const make = async (c: AwsConfig): Promise<AwsProvider> => {
    const p = await Provisioner.create({ instances: { aws: { plugin: awsPlugin, config: c } } });
    provisioners.push(p);
    return p.get('aws') as AwsProvider;
  };
  return {
    simulator,
    config,
    provider: await make(config),
    with: (more) => make({ ...config, ...more }),
    async close() {
      await Promise.all(provisioners.map((p) => p.close()));
      await simulator.stop();
    },
  };
}

/** A device-made key pair and its PKCS#10 CSR (RSA: what node-forge, and so the simulator, reads). */
export async function deviceCsr(commonName = 'device'): Promise<{ csr: string; privateKey: string }> {
  const forge = ((await import('node-forge')) as unknown as { default: typeof forgeTypes }).default;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem) as forgeTypes.pki.rsa.PrivateKey;
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  csr.setSubject([{ name: 'commonName', value: commonName }]);
  // node:crypto signs the CertificationRequestInfo forge serialises (forge's own RSA takes ~0.5 s).
  const collector = { algorithm: 'sha256', bytes: '', update(data: string) { this.bytes += data; return this; } };
  const signer = { sign: (md: typeof collector) => cryptoSign('sha256', Buffer.from(md.bytes, 'binary'), privateKey).toString('binary') };
  csr.sign(signer as unknown as forgeTypes.pki.rsa.PrivateKey, collector as unknown as forgeTypes.md.MessageDigest);
  const csrPem = forge.pki.certificationRequestToPem(csr);
  if (!forge.pki.certificationRequestFromPem(csrPem).verify()) throw new Error('CSR signature does not verify');
  return { csr: csrPem, privateKey: pem };
}

export { expectProvisioningError as failure } from '@provisio/testkit';
