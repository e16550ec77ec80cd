import { createHash, generateKeyPair, generateKeyPairSync, randomBytes, sign as rsaSign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type forgeTypes from 'node-forge';

type Forge = typeof forgeTypes;
const generateRsa = promisify(generateKeyPair);

/** node-forge is an optional peer: only the simulator makes certificates, not applications. */
async function loadForge(): Promise<Forge> {
  try {
    return ((await import('node-forge')) as unknown as { default: Forge }).default;
  } catch {
    throw new Error('the AWS IoT simulator needs node-forge, an optional peer of @provisio/provider-aws: npm install --save-dev node-forge');
  }
}

export interface SimCertificate {
  certificatePem: string;
  /** AWS's certificate id: the SHA-256 of the DER certificate, hex. */
  certificateId: string;
  publicKeyPem: string;
}

/** Certificates AWS issues are valid until the end of 2049. */
const NOT_AFTER = new Date('2049-12-31T23:59:59Z');

/**
 * The simulator's certificate authority: issues device certificates for a key pair it makes
 * (CreateKeysAndCertificate) or for the public key of a CSR whose signature checks out
 * (CreateCertificateFromCsr). Keys are made natively by node:crypto; node-forge builds and signs
 * (so CSRs must carry RSA keys: node-forge reads no others).
 */
export class SimCertificateAuthority {
  private static sharedAuthority: Promise<SimCertificateAuthority> | undefined;
  private readonly keys = new KeyPool();

  /**
   * One CA (and key pool) per process, shared by the simulators it starts: making a CA key costs
   * ~100 ms of CPU, and AWS's own CA is one for all accounts too.
   */
  static shared(): Promise<SimCertificateAuthority> {
    SimCertificateAuthority.sharedAuthority ??= SimCertificateAuthority.create();
    return SimCertificateAuthority.sharedAuthority;
  }

  private constructor(
    private readonly forge: Forge,
    private readonly key: KeyObject,
    readonly certificate: forgeTypes.pki.Certificate,
  ) {}

  static async create(commonName = 'provisio AWS IoT simulator CA'): Promise<SimCertificateAuthority> {
    const forge = await loadForge();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = NOT_AFTER;
    cert.setSubject([{ name: 'commonName', value: commonName }]);
    cert.setIssuer([{ name: 'commonName', value: commonName }]);
    cert.setExtensions([{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true }]);
    nativeSign(cert, privateKey);
    return new SimCertificateAuthority(forge, privateKey, cert);
  }

  get certificatePem(): string {
    return this.forge.pki.certificateToPem(this.certificate);
  }

  /** A new 2048-bit RSA key pair (as AWS makes) and its certificate. */
  async issueWithNewKeys(): Promise<SimCertificate & { privateKeyPem: string }> {
    const { privateKey, publicKey } = await this.keys.take();
    return { ...this.issue(this.forge.pki.publicKeyFromPem(publicKey)), privateKeyPem: privateKey };
  }

  /** Stops refilling the key pool (a CA made with `create`, not the shared one). */
  close(): void {
    this.keys.close();
  }

  /** A certificate for the CSR's key; undefined when the CSR does not parse or its signature fails. */
  issueFromCsr(csrPem: string): SimCertificate | undefined {
    let csr: forgeTypes.pki.CertificateSigningRequest;
    try {
      csr = this.forge.pki.certificationRequestFromPem(csrPem);
      if (!csr.verify() || !csr.publicKey) return undefined;
    } catch {
      return undefined;
    }
    return this.issue(csr.publicKey as forgeTypes.pki.rsa.PublicKey);
  }

  private issue(publicKey: forgeTypes.pki.rsa.PublicKey): SimCertificate {
    const forge = this.forge;
    const cert = forge.pki.createCertificate();
    cert.publicKey = publicKey;
    cert.serialNumber = `01${randomBytes(16).toString('hex')}`;
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = NOT_AFTER;
    cert.setSubject([{ name: 'commonName', value: 'AWS IoT Certificate' }]);
    cert.setIssuer(this.certificate.subject.attributes);
    nativeSign(cert, this.key);
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
    return {
      certificatePem: forge.pki.certificateToPem(cert),
      certificateId: createHash('sha256').update(der).digest('hex'),
      publicKeyPem: forge.pki.publicKeyToPem(publicKey),
    };
  }
}

/**
 * Signs with node:crypto instead of node-forge's JavaScript RSA (~80 ms a certificate): forge
 * builds the TBSCertificate and hands its bytes to a "digest" that only collects them, and the
 * "key" signs those bytes natively (sha256WithRSAEncryption, as forge would).
 */
function nativeSign(cert: forgeTypes.pki.Certificate, key: KeyObject): void {
  const collector = {
    algorithm: 'sha256',
    bytes: '',
    update(data: string) {
      this.bytes += data;
      return this;
    },
  };
  const signer = { sign: (md: typeof collector) => rsaSign('sha256', Buffer.from(md.bytes, 'binary'), key).toString('binary') };
  cert.sign(signer as unknown as forgeTypes.pki.rsa.PrivateKey, collector as unknown as forgeTypes.md.MessageDigest);
}

interface KeyPair {
  privateKey: string;
  publicKey: string;
}

function newKeyPair(): Promise<KeyPair> {
  return generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
}

/**
 * RSA-2048 key pairs made ahead, one at a time in the background: a key costs ~100 ms of CPU, so
 * making it inside the call would put that on every CreateKeysAndCertificate (and a burst of 100
 * would queue for seconds). A call takes a fresh pair when one is ready; in a burst that empties
 * the pool it reuses one of the recent pairs (each certificate stays unique) instead of waiting.
 */
class KeyPool {
  private readonly ready: KeyPair[] = [];
  private readonly recent: KeyPair[] = [];
  private filling = false;
  private closed = false;

  constructor(private readonly size = 16) {
    this.fill();
  }

  async take(): Promise<KeyPair> {
    const fresh = this.ready.shift();
    this.fill();
    const pair = fresh ?? this.recent[Math.floor(Math.random() * this.recent.length)] ?? (await newKeyPair());
    if (fresh) {
      this.recent.push(fresh);
      if (this.recent.length > this.size) this.recent.shift();
    }
    return pair;
  }

  close(): void {
    this.closed = true;
  }

  private fill(): void {
    if (this.filling || this.closed || this.ready.length >= this.size) return;
    this.filling = true;
    newKeyPair().then(
      (pair) => {
        this.filling = false;
        if (this.closed) return;
        this.ready.push(pair);
        this.fill();
      },
      () => {
        this.filling = false;
      },
    );
  }
}
