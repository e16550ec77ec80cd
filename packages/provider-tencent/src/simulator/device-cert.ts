import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** A self-signed device certificate and key (PEM) for certificate-authenticated products. */
export async function deviceCertificate(productId: string, deviceName: string): Promise<{ cert: string; key: string }> {
  const forge = ((await import('node-forge')) as unknown as { default: typeof import('node-forge') }).default;
  // node:crypto generates the key natively (fast); node-forge only builds and signs the certificate.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem) as import('node-forge').pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const subject = [{ name: 'commonName', value: `${productId}${deviceName}` }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(key, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}

