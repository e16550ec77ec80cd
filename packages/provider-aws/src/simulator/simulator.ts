import { createPrivateKey, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { BaseSimulator, SlidingWindowCounter, type SimFault, type SimReply, type SimRequest, type SimTlsOptions } from '@provisio/core/simulator';
import type { AwsApi } from '../commands/apis.js';
import { DEFAULT_API_TPS, IOT_SIGNING_SERVICE } from '../config.js';
import { SimCertificateAuthority } from './certificate-authority.js';
import { verifySigV4, type SimAccessKey } from './sigv4-verifier.js';

export interface AwsSimulatorOptions {
  /** Default "us-east-1". */
  region?: string;
  /** The 12-digit account the ARNs name. Default generated. */
  accountId?: string;
  /** IAM access keys the simulator accepts. Default: one generated pair (see `keys`). */
  keys?: SimAccessKey[];
  /** IoT policies that exist. Default: one, "provisio-sim-policy" (see `policies`). */
  policies?: string[];
  /** Calls per second per API it accepts before ThrottlingException; default AWS's published defaults; false: none. */
  apiTps?: Partial<Record<AwsApi, number>> | false;
  host?: string;
  port?: number;
  tls?: SimTlsOptions;
  /** Seconds the simulator's clock is ahead of this machine's (negative: behind). */
  clockSkewSeconds?: number;
  /** Certificates per account before LimitExceededException. */
  maxCertificates?: number;
  /**
   * How long a DetachThingPrincipal takes to take effect. AWS documents the call as asynchronous
   * ("it might take several seconds for the detachment to propagate"): until then DeleteThing and
   * DeleteCertificate still see the principal attached. Default 0 (immediate).
   */
  detachPropagationMs?: number;
}

type CertificateStatus = 'ACTIVE' | 'INACTIVE' | 'REVOKED' | 'PENDING_TRANSFER' | 'PENDING_ACTIVATION';
const STATUSES: readonly CertificateStatus[] = ['ACTIVE', 'INACTIVE', 'REVOKED', 'PENDING_TRANSFER', 'PENDING_ACTIVATION'];

interface SimThing {
  thingName: string;
  thingId: string;
  thingArn: string;
  attributes: Record<string, string>;
  version: number;
  principals: Set<string>;
}

interface SimCert {
  certificateId: string;
  certificateArn: string;
  certificatePem: string;
  status: CertificateStatus;
  things: Set<string>;
  policies: Set<string>;
  creationDate: number;
}

/** AWS keeps connectivity per MQTT client id; devices use the thing name as client id. */
interface SimConnection {
  connected: boolean;
  timestamp: number;
  disconnectReason?: string;
}

const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const ATTRIBUTE_NAME = /^[a-zA-Z0-9_.,@/:#-]{1,128}$/;
const ATTRIBUTE_VALUE = /^[a-zA-Z0-9_.,@/:#=[\]-]{0,800}$/;
/** Policies per certificate (AWS IoT quota). */
const MAX_POLICIES_PER_CERTIFICATE = 10;

interface Route {
  api: AwsApi | 'DescribeCertificate' | 'DetachPolicy';
  method: string;
  pattern: RegExp;
}

/** The REST routes of @aws-sdk/client-iot's model for the APIs the simulator serves. */
const ROUTES: readonly Route[] = [
  { api: 'CreateThing', method: 'POST', pattern: /^\/things\/([^/]+)$/ },
  { api: 'DescribeThing', method: 'GET', pattern: /^\/things\/([^/]+)$/ },
  { api: 'DeleteThing', method: 'DELETE', pattern: /^\/things\/([^/]+)$/ },
  { api: 'ListThingPrincipals', method: 'GET', pattern: /^\/things\/([^/]+)\/principals$/ },
  { api: 'AttachThingPrincipal', method: 'PUT', pattern: /^\/things\/([^/]+)\/principals$/ },
  { api: 'DetachThingPrincipal', method: 'DELETE', pattern: /^\/things\/([^/]+)\/principals$/ },
  { api: 'GetThingConnectivityData', method: 'POST', pattern: /^\/things\/([^/]+)\/connectivity-data$/ },
  { api: 'CreateKeysAndCertificate', method: 'POST', pattern: /^\/keys-and-certificate$/ },
  { api: 'CreateCertificateFromCsr', method: 'POST', pattern: /^\/certificates$/ },
  { api: 'DescribeCertificate', method: 'GET', pattern: /^\/certificates\/([^/]+)$/ },
  { api: 'UpdateCertificate', method: 'PUT', pattern: /^\/certificates\/([^/]+)$/ },
  { api: 'DeleteCertificate', method: 'DELETE', pattern: /^\/certificates\/([^/]+)$/ },
  { api: 'AttachPolicy', method: 'PUT', pattern: /^\/target-policies\/([^/]+)$/ },
  { api: 'DetachPolicy', method: 'POST', pattern: /^\/target-policies\/([^/]+)$/ },
];

/** HTTP status of each AWS IoT exception (API reference / SDK model). */
const STATUS_OF: Record<string, number> = {
  InvalidRequestException: 400,
  ThrottlingException: 400,
  UnauthorizedException: 401,
  ResourceNotFoundException: 404,
  CertificateStateException: 406,
  ResourceAlreadyExistsException: 409,
  DeleteConflictException: 409,
  VersionConflictException: 409,
  LimitExceededException: 410,
  InternalFailureException: 500,
  ServiceUnavailableException: 503,
};

function routeOf(request: SimRequest): { route: Route; param: string } | undefined {
  for (const route of ROUTES) {
    if (route.method !== request.method) continue;
    const m = route.pattern.exec(request.url.pathname);
    if (m) return { route, param: m[1] ? decodeURIComponent(m[1]) : '' };
  }
  return undefined;
}

/** A TPS figure as a sliding window: whole calls per interval. */
function windowFor(tps: number): SlidingWindowCounter {
  if (tps >= 1) return new SlidingWindowCounter(Math.floor(tps), Math.round((1000 * Math.floor(tps)) / tps));
  return new SlidingWindowCounter(1, Math.round(1000 / tps));
}

/**
 * A local AWS IoT Core control plane: things, certificates from a simulator CA (new key pairs or
 * CSRs), principals and policies, connectivity, SigV4 verification, per-API throttling, AWS's
 * error shape (x-amzn-ErrorType + {"message"}), and a device side on the control surface.
 */
export class AwsSimulator extends BaseSimulator {
  readonly region: string;
  readonly accountId: string;
  readonly keys: SimAccessKey[];
  readonly policies: Set<string>;
  readonly stats = { signatureFailures: 0, throttled: 0, certificatesIssued: 0 };
  /** Every authenticated API call in arrival order (tests check step order with it). */
  readonly calls: Array<{ api: string; target: string }> = [];
  private readonly things = new Map<string, SimThing>();
  private readonly certificates = new Map<string, SimCert>();
  private readonly connections = new Map<string, SimConnection>();
  private readonly windows = new Map<string, SlidingWindowCounter>();
  private skewMs: number;

  private constructor(
    private readonly options: AwsSimulatorOptions,
    readonly ca: SimCertificateAuthority,
  ) {
    super({
      host: options.host,
      port: options.port,
      tls: options.tls,
      now: () => this.now(),
      // A fault can target an API by name, e.g. { path: 'AttachPolicy' }.
      faultTarget: (req) => `${req.url.pathname} ${routeOf(req)?.route.api ?? ''}`,
    });
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? String(100000000000 + (randomBytes(4).readUInt32BE() % 899999999999));
    this.keys = options.keys ?? [{ accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64') }];
    this.policies = new Set(options.policies ?? ['provisio-sim-policy']);
    this.skewMs = (options.clockSkewSeconds ?? 0) * 1000;
    if (options.apiTps !== false) {
      for (const [api, tps] of Object.entries({ ...DEFAULT_API_TPS, ...options.apiTps })) this.windows.set(api, windowFor(tps));
    }
  }

  static async start(options: AwsSimulatorOptions = {}): Promise<AwsSimulator> {
    const simulator = new AwsSimulator(options, await SimCertificateAuthority.shared());
    await simulator.server.start();
    return simulator;
  }

  // ---- device side and test controls -------------------------------------------------

  /**
   * The device connects over MQTT with its certificate and the thing name as client id: AWS lets
   * it in when the certificate is ACTIVE, attached to the thing and has a policy; with a private
   * key given, the key must be the certificate's.
   */
  connect(thingName: string, certificatePem: string, privateKeyPem?: string): void {
    const thing = this.things.get(thingName);
    if (!thing) throw new Error(`no thing ${thingName}`);
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(certificatePem);
    } catch {
      throw new Error('not a certificate');
    }
    const cert = this.certificates.get(x509.fingerprint256.replace(/:/g, '').toLowerCase());
    // TLS presents the certificate's DER: its PEM line ends (\r\n or \n) do not matter.
    if (!cert || !new X509Certificate(cert.certificatePem).raw.equals(x509.raw)) throw new Error('unknown certificate');
    if (cert.status !== 'ACTIVE') throw new Error(`certificate is ${cert.status}`);
    if (!thing.principals.has(cert.certificateArn)) throw new Error('certificate not attached to the thing');
    if (cert.policies.size === 0) throw new Error('no policy attached to the certificate');
    if (privateKeyPem !== undefined && !x509.checkPrivateKey(createPrivateKey(privateKeyPem))) throw new Error('private key does not match the certificate');
    this.connections.set(thingName, { connected: true, timestamp: this.now() });
  }

  disconnect(thingName: string, reason = 'CLIENT_INITIATED_DISCONNECT'): void {
    const current = this.connections.get(thingName);
    if (current?.connected) this.connections.set(thingName, { connected: false, timestamp: this.now(), disconnectReason: reason });
  }

  setClockSkew(seconds: number): void {
    this.skewMs = seconds * 1000;
  }

  thing(thingName: string): Readonly<SimThing> | undefined {
    return this.things.get(thingName);
  }

  certificate(certificateId: string): Readonly<SimCert> | undefined {
    return this.certificates.get(certificateId);
  }

  listThings(): ReadonlyArray<Readonly<SimThing>> {
    return [...this.things.values()];
  }

  listCertificates(): ReadonlyArray<Readonly<SimCert>> {
    return [...this.certificates.values()];
  }

  // ---- wire ---------------------------------------------------------------------------

  private now(): number {
    return Date.now() + this.skewMs;
  }

  protected vendorFault(fault: Extract<SimFault, { kind: 'vendor' }>): SimReply {
    return this.error(fault.code, fault.message ?? `injected ${fault.code}`, fault.status);
  }

  private error(type: string, message: string, status?: number, extra: Record<string, unknown> = {}): SimReply {
    return {
      status: status ?? STATUS_OF[type] ?? 400,
      headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': `${type}:`, 'x-amzn-RequestId': randomUUID() },
      body: { message, ...extra },
    };
  }

  private ok(body?: Record<string, unknown>): SimReply {
    return { status: 200, headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID() }, body: body ?? {} };
  }

  protected override control(req: SimRequest): SimReply | undefined {
    const m = /^\/__sim\/devices\/([^/]+)\/(connect|disconnect)$/.exec(req.url.pathname);
    if (!m || req.method !== 'POST') return undefined;
    const thingName = decodeURIComponent(m[1] as string);
    try {
      if (m[2] === 'disconnect') this.disconnect(thingName);
      else {
        const body = JSON.parse(req.text || '{}') as { certificatePem?: string; privateKeyPem?: string };
        this.connect(thingName, body.certificatePem ?? '', body.privateKeyPem);
      }
      return { status: 200, body: { thingName, connected: m[2] === 'connect' } };
    } catch (error) {
      return { status: 403, body: { error: (error as Error).message } };
    }
  }

  protected async handle(req: SimRequest): Promise<SimReply> {
    const failure = await verifySigV4(req, this.keys, { region: this.region, service: IOT_SIGNING_SERVICE }, this.now());
    if (failure) {
      this.stats.signatureFailures++;
      return this.error(failure.type, failure.message, 403);
    }
    const matched = routeOf(req);
    if (!matched) return this.error('UnknownOperationException', `Unknown operation ${req.method} ${req.url.pathname}`, 404);
    const { route, param } = matched;
    this.calls.push({ api: route.api, target: [param, req.headers['x-amzn-principal']].filter(Boolean).join(' ') });
    if (this.windows.get(route.api)?.allow('account') === false) {
      this.stats.throttled++;
      return this.error('ThrottlingException', 'Rate exceeded');
    }
    let body: Record<string, unknown> = {};
    if (req.text.trim()) {
      try {
        body = JSON.parse(req.text) as Record<string, unknown>;
      } catch {
        return this.error('InvalidRequestException', 'The request body is not valid JSON');
      }
    }
    const q = req.url.searchParams;
    switch (route.api) {
      case 'CreateThing':
        return this.createThing(param, body);
      case 'DescribeThing':
        return this.withThing(param, (t) => this.ok({ defaultClientId: t.thingName, thingName: t.thingName, thingId: t.thingId, thingArn: t.thingArn, attributes: t.attributes, version: t.version }));
      case 'DeleteThing':
        return this.deleteThing(param, q.get('expectedVersion'));
      case 'ListThingPrincipals':
        return this.withThing(param, (t) => {
          const all = [...t.principals];
          const start = Number(q.get('nextToken') ?? 0) || 0;
          const size = Math.min(Math.max(Number(q.get('maxResults') ?? 25) || 25, 1), 250);
          const page = all.slice(start, start + size);
          return this.ok({ principals: page, ...(start + size < all.length ? { nextToken: String(start + size) } : {}) });
        });
      case 'AttachThingPrincipal':
        return this.attachThingPrincipal(param, req.headers['x-amzn-principal']);
      case 'DetachThingPrincipal':
        return this.withThing(param, (t) => {
          const principal = String(req.headers['x-amzn-principal'] ?? '');
          if (!principal) return this.error('InvalidRequestException', 'principal is required');
          const detach = () => {
            t.principals.delete(principal);
            this.certByArn(principal)?.things.delete(t.thingName);
          };
          const delay = this.options.detachPropagationMs ?? 0;
          if (delay > 0) setTimeout(detach, delay).unref();
          else detach();
          return this.ok();
        });
      case 'GetThingConnectivityData':
        return this.withThing(param, (t) => {
          const c = this.connections.get(t.thingName);
          if (!c) return this.ok({ thingName: t.thingName, connected: false });
          return this.ok({ thingName: t.thingName, connected: c.connected, timestamp: c.timestamp / 1000, ...(c.disconnectReason ? { disconnectReason: c.disconnectReason } : {}) });
        });
      case 'CreateKeysAndCertificate':
        return this.createCertificate(q.get('setAsActive') === 'true', undefined);
      case 'CreateCertificateFromCsr':
        return this.createCertificate(q.get('setAsActive') === 'true', body.certificateSigningRequest);
      case 'DescribeCertificate':
        return this.withCert(param, (c) =>
          this.ok({ certificateDescription: { certificateArn: c.certificateArn, certificateId: c.certificateId, status: c.status, certificatePem: c.certificatePem, creationDate: c.creationDate / 1000 } }),
        );
      case 'UpdateCertificate':
        return this.updateCertificate(param, q.get('newStatus'));
      case 'DeleteCertificate':
        return this.deleteCertificate(param, q.get('forceDelete') === 'true');
      case 'AttachPolicy':
      case 'DetachPolicy':
        return this.policyTarget(route.api, param, body.target);
    }
    return this.error('UnknownOperationException', `Unknown operation ${route.api}`, 404);
  }

  private withThing(thingName: string, then: (thing: SimThing) => SimReply): SimReply {
    const thing = this.things.get(thingName);
    if (!thing) return this.error('ResourceNotFoundException', `Thing ${thingName} cannot be found.`);
    return then(thing);
  }

  private withCert(certificateId: string, then: (cert: SimCert) => SimReply): SimReply {
    if (!/^[0-9a-fA-F]{64}$/.test(certificateId)) return this.error('InvalidRequestException', `Invalid id: ${certificateId}`);
    const cert = this.certificates.get(certificateId.toLowerCase());
    if (!cert) return this.error('ResourceNotFoundException', `The certificate given in the request does not exist: ${certificateId}`);
    return then(cert);
  }

  private certByArn(arn: string): SimCert | undefined {
    const id = /:cert\/([0-9a-f]{64})$/.exec(arn)?.[1];
    return id ? this.certificates.get(id) : undefined;
  }

  private createThing(thingName: string, body: Record<string, unknown>): SimReply {
    if (!THING_NAME.test(thingName)) return this.error('InvalidRequestException', `1 validation error detected: Value '${thingName}' at 'thingName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+`);
    const attributes = ((body.attributePayload as { attributes?: unknown } | undefined)?.attributes ?? {}) as Record<string, unknown>;
    if (typeof attributes !== 'object' || Object.keys(attributes).length > 3) return this.error('InvalidRequestException', 'A thing without a thing type can have at most 3 attributes');
    for (const [name, value] of Object.entries(attributes)) {
      if (!ATTRIBUTE_NAME.test(name) || typeof value !== 'string' || !ATTRIBUTE_VALUE.test(value)) return this.error('InvalidRequestException', `Invalid attribute ${name}`);
    }
    const existing = this.things.get(thingName);
    if (existing) {
      // Same name and same configuration: success again (AWS's documented rule); otherwise a conflict.
      const same = JSON.stringify(Object.entries(existing.attributes).sort()) === JSON.stringify(Object.entries(attributes).sort());
      if (same) return this.ok({ thingName, thingArn: existing.thingArn, thingId: existing.thingId });
      return this.error('ResourceAlreadyExistsException', `Thing ${thingName} already exists in account with different attributes`, undefined, { resourceId: existing.thingId, resourceArn: existing.thingArn });
    }
    const thing: SimThing = {
      thingName,
      thingId: randomUUID(),
      thingArn: `arn:aws:iot:${this.region}:${this.accountId}:thing/${thingName}`,
      attributes: attributes as Record<string, string>,
      version: 1,
      principals: new Set(),
    };
    this.things.set(thingName, thing);
    return this.ok({ thingName, thingArn: thing.thingArn, thingId: thing.thingId });
  }

  private deleteThing(thingName: string, expectedVersion: string | null): SimReply {
    const thing = this.things.get(thingName);
    // Deleting a thing that does not exist succeeds (AWS's documented behaviour).
    if (!thing) return this.ok();
    if (expectedVersion !== null && Number(expectedVersion) !== thing.version) {
      return this.error('VersionConflictException', `The version for thing ${thingName} does not match the expected version.`);
    }
    if (thing.principals.size > 0) return this.error('InvalidRequestException', `Cannot delete. Thing ${thingName} is still attached to one or more principals`);
    this.things.delete(thingName);
    this.connections.delete(thingName);
    return this.ok();
  }

  private attachThingPrincipal(thingName: string, principalHeader: string | string[] | undefined): SimReply {
    const principal = String(principalHeader ?? '');
    if (!principal) return this.error('InvalidRequestException', 'principal is required');
    return this.withThing(thingName, (thing) => {
      const cert = this.certByArn(principal);
      if (!cert) return this.error('ResourceNotFoundException', `The principal ${principal} does not exist`);
      thing.principals.add(principal);
      cert.things.add(thingName);
      return this.ok();
    });
  }

  private async createCertificate(setAsActive: boolean, csr: unknown): Promise<SimReply> {
    if (this.options.maxCertificates !== undefined && this.certificates.size >= this.options.maxCertificates) {
      return this.error('LimitExceededException', 'The number of certificates in the account has reached its limit');
    }
    let issued: { certificatePem: string; certificateId: string; publicKeyPem: string; privateKeyPem?: string };
    if (csr === undefined) {
      issued = await this.ca.issueWithNewKeys();
    } else {
      const fromCsr = typeof csr === 'string' ? this.ca.issueFromCsr(csr) : undefined;
      if (!fromCsr) return this.error('InvalidRequestException', 'The certificate signing request is not valid.');
      issued = fromCsr;
    }
    const certificateArn = `arn:aws:iot:${this.region}:${this.accountId}:cert/${issued.certificateId}`;
    this.certificates.set(issued.certificateId, {
      certificateId: issued.certificateId,
      certificateArn,
      certificatePem: issued.certificatePem,
      status: setAsActive ? 'ACTIVE' : 'INACTIVE',
      things: new Set(),
      policies: new Set(),
      creationDate: this.now(),
    });
    this.stats.certificatesIssued++;
    const answer: Record<string, unknown> = { certificateArn, certificateId: issued.certificateId, certificatePem: issued.certificatePem };
    if (issued.privateKeyPem) answer.keyPair = { PublicKey: issued.publicKeyPem, PrivateKey: issued.privateKeyPem };
    return this.ok(answer);
  }

  private updateCertificate(certificateId: string, newStatus: string | null): SimReply {
    if (!newStatus || !STATUSES.includes(newStatus as CertificateStatus)) return this.error('InvalidRequestException', `Invalid newStatus: ${newStatus}`);
    return this.withCert(certificateId, (cert) => {
      if (cert.status === 'REVOKED' && newStatus !== 'REVOKED') return this.error('CertificateStateException', 'A revoked certificate cannot be activated or deactivated.');
      cert.status = newStatus as CertificateStatus;
      return this.ok();
    });
  }

  private deleteCertificate(certificateId: string, force: boolean): SimReply {
    return this.withCert(certificateId, (cert) => {
      if (cert.status === 'ACTIVE') return this.error('CertificateStateException', `Certificate must be deactivated (not ACTIVE) before deletion. Id: ${cert.certificateId}`);
      if (cert.things.size > 0) return this.error('DeleteConflictException', `Things are attached to the certificate: ${[...cert.things].join(', ')}`);
      if (cert.policies.size > 0 && !force) return this.error('DeleteConflictException', 'Certificate policies must be detached before deletion.');
      this.certificates.delete(cert.certificateId);
      return this.ok();
    });
  }

  private policyTarget(api: 'AttachPolicy' | 'DetachPolicy', policyName: string, target: unknown): SimReply {
    if (!this.policies.has(policyName)) return this.error('ResourceNotFoundException', `Policy ${policyName} does not exist`);
    if (typeof target !== 'string' || !target) return this.error('InvalidRequestException', 'target is required');
    const cert = this.certByArn(target);
    if (!cert) return this.error('ResourceNotFoundException', `The target ${target} does not exist`);
    if (api === 'DetachPolicy') {
      cert.policies.delete(policyName);
      return this.ok();
    }
    if (!cert.policies.has(policyName) && cert.policies.size >= MAX_POLICIES_PER_CERTIFICATE) {
      return this.error('LimitExceededException', `A certificate can have at most ${MAX_POLICIES_PER_CERTIFICATE} policies`);
    }
    cert.policies.add(policyName);
    return this.ok();
  }
}
