// A throw-away PKI for simulators and tests: a CA, a server certificate and a client
// certificate, made fresh at run time (no private key is ever committed).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  validityDays = 1,
): forgeTypes.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + validityDays * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: subjectCn }]);
  cert.setIssuer(issuer.cert ? issuer.cert.subject.attributes : [{ name: 'commonName', value: subjectCn }]);
  cert.setExtensions(extensions);
  cert.sign(issuer.key, forge.md.sha256.create());
  return cert;
}

/** node-forge is an optional peer: only simulators and tests make certificates, not applications. */
async function loadForge(): Promise<Forge> {
  try {
    return ((await import('node-forge')) as unknown as { default: Forge }).default;
  } catch {
    throw new Error('making test certificates needs node-forge, an optional peer of @provisio/core: npm install --save-dev node-forge');
  }
}

/** An RSA key made natively by node:crypto (milliseconds), in node-forge's form for signing. */
function nativeKeyPair(forge: Forge): { keys: forgeTypes.pki.rsa.KeyPair; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem) as forgeTypes.pki.rsa.PrivateKey;
  return { keys: { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) }, pem };
}

/** A self-signed certificate and its key (PEM), e.g. a device certificate a simulator issues. */
export async function selfSignedCertificate(commonName: string, options: { validityDays?: number } = {}): Promise<{ cert: string; key: string }> {
  const forge = await loadForge();
  const { keys, pem } = nativeKeyPair(forge);
  const cert = certificate(forge, commonName, keys, { key: keys.privateKey }, [], `01${randomBytes(8).toString('hex')}`, options.validityDays ?? 365);
  return { cert: forge.pki.certificateToPem(cert), key: pem };
}

/**
 * `serverNames`: DNS names and IPs the server certificate is valid for.
 * node-forge is loaded on first use, so importing core stays fast.
 */
export async function createTestPki(
  serverNames: { dns?: string[]; ip?: string[] } = { dns: ['localhost'], ip: ['127.0.0.1'] },
  pfxPassphrase = 'provisio-simulator',
): Promise<TestPki> {
  const forge = await loadForge();
  // node:crypto makes the keys natively (milliseconds); node-forge only builds and signs certificates.
  const keyPair = (): forgeTypes.pki.rsa.KeyPair => nativeKeyPair(forge).keys;
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

/** Where a simulator's TLS material lives on disk, for clients outside the process. */
export interface PkiFiles {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** PKCS#12 bundle of the client certificate, key and CA. */
  clientPfx: string;
  /** Passphrase of clientPfx. */
  pfxPassphrase: string;
}

const FILES = {
  caCert: 'ca.pem',
  serverCert: 'server-cert.pem',
  serverKey: 'server-key.pem',
  clientCert: 'client-cert.pem',
  clientKey: 'client-key.pem',
  clientPfx: 'client.p12',
} as const;

/**
 * Loads the PKI in `dir`, or creates it there (a CA, a server certificate for localhost and
 * 127.0.0.1, a client certificate as PEM and PKCS#12). Keys are written with mode 0600.
 */
export async function loadOrCreatePki(dir: string, pfxPassphrase = 'provisio-simulator'): Promise<{ pki: TestPki; files: PkiFiles }> {
  const paths = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, join(dir, f)])) as Record<keyof typeof FILES, string>;
  const files: PkiFiles = { dir, ...paths, pfxPassphrase };
  const passphraseFile = join(dir, 'client.p12.passphrase');
  if (Object.values(paths).every((p) => existsSync(p)) && existsSync(passphraseFile)) {
    files.pfxPassphrase = readFileSync(passphraseFile, 'utf8').trim();
    const read = (p: string) => readFileSync(p, 'utf8');
    return {
      files,
      pki: {
        caCert: read(paths.caCert),
        serverCert: read(paths.serverCert),
        serverKey: read(paths.serverKey),
        clientCert: read(paths.clientCert),
        clientKey: read(paths.clientKey),
        clientPfx: readFileSync(paths.clientPfx),
        pfxPassphrase: files.pfxPassphrase,
      },
    };
  }
  const pki = await createTestPki({ dns: ['localhost'], ip: ['127.0.0.1'] }, pfxPassphrase);
  mkdirSync(dir, { recursive: true });
  writeFileSync(paths.caCert, pki.caCert);
  writeFileSync(paths.serverCert, pki.serverCert);
  writeFileSync(paths.serverKey, pki.serverKey, { mode: 0o600 });
  writeFileSync(paths.clientCert, pki.clientCert);
  writeFileSync(paths.clientKey, pki.clientKey, { mode: 0o600 });
  writeFileSync(paths.clientPfx, pki.clientPfx, { mode: 0o600 });
  writeFileSync(passphraseFile, `${pfxPassphrase}\n`, { mode: 0o600 });
  return { pki, files };
}
