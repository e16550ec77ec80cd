// A throw-away PKI for simulators and tests: a CA, a server certificate and a client
// certificate, made fresh at run time (no private key is ever committed).
import type forgeTypes from 'node-forge';

type Forge = typeof forgeTypes;

export interface TestPki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  clientPfx: Buffer;
  pfxPassphrase: string;
}

function certificate(
  forge: Forge,
  subjectCn: string,
  keys: forgeTypes.pki.rsa.KeyPair,
  issuer: { cert?: forgeTypes.pki.Certificate; key: forgeTypes.pki.rsa.PrivateKey },
  extensions: object[],
  serial: string,
): forgeTypes.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: subjectCn }]);
  cert.setIssuer(issuer.cert ? issuer.cert.subject.attributes : [{ name: 'commonName', value: subjectCn }]);
  cert.setExtensions(extensions);
  cert.sign(issuer.key, forge.md.sha256.create());
  return cert;
}

/**
 * `serverNames`: DNS names and IPs the server certificate is valid for.
 * node-forge is loaded on first use, so importing core stays fast.
 */
export async function createTestPki(
  serverNames: { dns?: string[]; ip?: string[] } = { dns: ['localhost'], ip: ['127.0.0.1'] },
  pfxPassphrase = 'provisio-simulator',
): Promise<TestPki> {
  const forge = ((await import('node-forge')) as unknown as { default: Forge }).default;
  const keyPair = () => forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const caKeys = keyPair();
  const ca = certificate(forge, 'provisio test CA', caKeys, { key: caKeys.privateKey }, [
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true },
  ], '01');
  const altNames = [
    ...(serverNames.dns ?? []).map((value) => ({ type: 2, value })),
    ...(serverNames.ip ?? []).map((ip) => ({ type: 7, ip })),
  ];
  const serverKeys = keyPair();
  const server = certificate(forge, 'localhost', serverKeys, { cert: ca, key: caKeys.privateKey }, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ], '02');
  const clientKeys = keyPair();
  const client = certificate(forge, 'provisio test client', clientKeys, { cert: ca, key: caKeys.privateKey }, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
  ], '03');
  const p12 = forge.pkcs12.toPkcs12Asn1(clientKeys.privateKey, [client, ca], pfxPassphrase, { algorithm: '3des' });
  return {
    caCert: forge.pki.certificateToPem(ca),
    serverCert: forge.pki.certificateToPem(server),
    serverKey: forge.pki.privateKeyToPem(serverKeys.privateKey),
    clientCert: forge.pki.certificateToPem(client),
    clientKey: forge.pki.privateKeyToPem(clientKeys.privateKey),
    clientPfx: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'),
    pfxPassphrase,
  };
}
