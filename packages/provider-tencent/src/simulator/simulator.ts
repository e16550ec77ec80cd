import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { BaseSimulator, SlidingWindowCounter, type SimFault, type SimReply, type SimRequest, type SimTlsOptions } from '@provisio/core/simulator';
import { sealPayload } from '../payload-cipher.js';
import { deviceSignature, legacyRegisterSignature } from '../signing/device-signature.js';
import { parseTc3Authorization, tc3Signature, utcDate } from '../signing/tc3.js';
import { deviceCertificate } from './device-cert.js';

export interface TencentSimulatorProduct {
  productId: string;
  productSecret: string;
  authType?: 'psk' | 'certificate';
}

export interface TencentSimulatorOptions {
  /** Default: one PSK product with a generated id and secret (see `products`). */
  products?: TencentSimulatorProduct[];
  /** Cloud API key pairs. Default: one generated pair (see `keys`). */
  keys?: Array<{ secretId: string; secretKey: string }>;
  host?: string;
  port?: number;
  tls?: SimTlsOptions;
  /** Seconds the simulator's clock is ahead of this machine's (negative: behind). */
  clockSkewSeconds?: number;
  /** Devices per product before LimitExceeded.DeviceExceedLimit. */
  maxDevices?: number;
  /**
   * Cloud API request frequency per SecretId (Tencent's default is 20 per second per API);
   * over it the answer is `RequestLimitExceeded`. Default: none.
   */
  flowControl?: { limit: number; intervalMs: number } | false;
}

interface SimDevice {
  productId: string;
  deviceName: string;
  psk: string;
  cert?: string;
  key?: string;
  /** 0 offline, 1 online, 3 not activated. */
  status: 0 | 1 | 3;
  firstOnlineTime: number;
  loginTime: number;
  createTime: number;
  registrations: number;
}

export interface TencentSimulatorStats {
  gatewayRequests: number;
  cloudApiRequests: number;
  registrations: number;
  signatureFailures: number;
  /** Cloud API requests answered RequestLimitExceeded. */
  throttled: number;
}

// IoT Explorer as the vendor docs state it (stated here, never imported from the client).
/** Both faces refuse a timestamp more than five minutes off. */
const SKEW_LIMIT_SECONDS = 300;
const DEVICE_NAME = /^[a-zA-Z0-9:_-]{1,48}$/;
/** Dynamic registration on the device gateway. */
const DYNAMIC_REGISTER_PATH = '/device/register';
/** The Cloud API version and service of IoT Explorer. */
const API_VERSION = '2019-04-23';
const API_SERVICE = 'iotexplorer';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `Response.Error` with HTTP 200, as both faces answer. */
function apiError(code: string, message: string): SimReply {
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body: { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } } };
}

function apiOk(body: Record<string, unknown>): SimReply {
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body: { Response: { ...body, RequestId: randomUUID() } } };
}

/** Host names a signature may cover: the Host header as received, and without its port. */
function hostCandidates(host: string | undefined): string[] {
  const received = (host ?? '').trim();
  const bare = received.replace(/:\d+$/, '');
  return received === bare ? [received] : [received, bare];
}

/**
 * A local Tencent IoT Explorer, both faces on one server: the device gateway
 * (`/device/register`, the legacy `/register/dev`) and Cloud API 3.0 (`CreateDevice`,
 * `DescribeDevice`, `DeleteDevice`, TC3-signed POST or GET).
 */
export class TencentSimulator extends BaseSimulator {
  readonly products: TencentSimulatorProduct[];
  readonly keys: Array<{ secretId: string; secretKey: string }>;
  private readonly flow: SlidingWindowCounter | undefined;
  readonly stats: TencentSimulatorStats = { gatewayRequests: 0, cloudApiRequests: 0, registrations: 0, signatureFailures: 0, throttled: 0 };
  private readonly devices = new Map<string, SimDevice>();
  private skewMs: number;

  private constructor(private readonly options: TencentSimulatorOptions) {
    super({
      host: options.host,
      port: options.port,
      tls: options.tls,
      now: () => this.now(),
      // Cloud API actions share the path "/": let a fault target one by name, e.g. "CreateDevice".
      faultTarget: (req) => `${req.url.pathname} ${String(req.headers['x-tc-action'] ?? '')}`,
    });
    this.products = options.products ?? [
      { productId: `SIM${randomBytes(4).toString('hex').toUpperCase()}`, productSecret: randomBytes(18).toString('base64url'), authType: 'psk' },
    ];
    this.keys = options.keys ?? [{ secretId: `AKIDsim${randomBytes(8).toString('hex')}`, secretKey: randomBytes(16).toString('hex') }];
    this.skewMs = (options.clockSkewSeconds ?? 0) * 1000;
    this.flow = options.flowControl ? new SlidingWindowCounter(options.flowControl.limit, options.flowControl.intervalMs) : undefined;
  }

  static async start(options: TencentSimulatorOptions = {}): Promise<TencentSimulator> {
    const simulator = new TencentSimulator(options);
    await simulator.start();
    return simulator;
  }

  // ---- device side and test controls -------------------------------------------------

  /** The device connects (its first connection activates it). */
  connect(productId: string, deviceName: string): void {
    const device = this.mustFind(productId, deviceName);
    const now = Math.floor(this.now() / 1000);
    device.status = 1;
    device.firstOnlineTime ||= now;
    device.loginTime = now;
  }

  /** A device connects the way a real one does: with the PSK it decrypted. */
  connectWithPsk(productId: string, deviceName: string, psk: string): void {
    const device = this.mustFind(productId, deviceName);
    if (!safeEqual(device.psk, psk)) throw new Error('PSK rejected');
    this.connect(productId, deviceName);
  }

  disconnect(productId: string, deviceName: string): void {
    const device = this.mustFind(productId, deviceName);
    device.status = device.firstOnlineTime ? 0 : 3;
  }

  /** Moves the simulator's clock relative to this machine's. */
  setClockSkew(seconds: number): void {
    this.skewMs = seconds * 1000;
  }

  device(productId: string, deviceName: string): Readonly<SimDevice> | undefined {
    return this.devices.get(`${productId}/${deviceName}`);
  }

  listDevices(): ReadonlyArray<Readonly<SimDevice>> {
    return [...this.devices.values()];
  }

  // ---- wire ---------------------------------------------------------------------------

  private now(): number {
    return Date.now() + this.skewMs;
  }

  protected vendorFault(fault: Extract<SimFault, { kind: 'vendor' }>): SimReply {
    return apiError(fault.code, fault.message ?? `injected ${fault.code}`);
  }

  private product(productId: unknown): TencentSimulatorProduct | undefined {
    return this.products.find((p) => p.productId === productId);
  }

  private mustFind(productId: string, deviceName: string): SimDevice {
    const device = this.devices.get(`${productId}/${deviceName}`);
    if (!device) throw new Error(`no device ${productId}/${deviceName}`);
    return device;
  }

  private skewed(timestamp: number): boolean {
    return !Number.isFinite(timestamp) || Math.abs(timestamp - this.now() / 1000) > SKEW_LIMIT_SECONDS;
  }

  protected async handle(req: SimRequest): Promise<SimReply> {
    const path = req.url.pathname;
    if (req.method === 'POST' && path === DYNAMIC_REGISTER_PATH) return this.dynamicRegister(req);
    if (req.method === 'POST' && path === '/register/dev') return this.legacyRegister(req);
    if (req.headers['x-tc-action']) return this.cloudApi(req);
    return { status: 404, headers: { 'Content-Type': 'application/json' }, body: { error: 'not found' } };
  }

  /** Issues (or re-issues, until the first connection) a device's credentials. */
  private async issue(product: TencentSimulatorProduct, deviceName: string): Promise<SimDevice | SimReply> {
    const key = `${product.productId}/${deviceName}`;
    let device = this.devices.get(key);
    if (device?.firstOnlineTime) return apiError('UnauthorizedOperation.DeviceIsActivated', 'The device has been activated and cannot register again.');
    if (!device) {
      if (this.options.maxDevices !== undefined && [...this.devices.values()].filter((d) => d.productId === product.productId).length >= this.options.maxDevices) {
        return apiError('LimitExceeded.DeviceExceedLimit', 'The number of devices exceeds the limit.');
      }
      device = { productId: product.productId, deviceName, psk: '', status: 3, firstOnlineTime: 0, loginTime: 0, createTime: Math.floor(this.now() / 1000), registrations: 0 };
      this.devices.set(key, device);
    }
    // A new secret each time; the previous one stops working.
    device.psk = randomBytes(16).toString('base64');
    if (product.authType === 'certificate') {
      const { cert, key: privateKey } = await deviceCertificate(product.productId, deviceName);
      device.cert = cert;
      device.key = privateKey;
    }
    device.registrations++;
    this.stats.registrations++;
    return device;
  }

  private payloadFor(product: TencentSimulatorProduct, device: SimDevice): { payload: string; length: number } {
    const plain =
      product.authType === 'certificate'
        ? JSON.stringify({ encryptionType: 1, clientCert: device.cert, clientKey: device.key })
        : JSON.stringify({ encryptionType: 2, psk: device.psk });
    return sealPayload(plain, product.productSecret);
  }

  private async dynamicRegister(req: SimRequest): Promise<SimReply> {
    this.stats.gatewayRequests++;
    let body: { ProductId?: unknown; DeviceName?: unknown };
    try {
      body = JSON.parse(req.text) as typeof body;
    } catch {
      return apiError('InvalidParameter', 'The request body is not JSON.');
    }
    const product = this.product(body.ProductId);
    if (!product) return apiError('ResourceNotFound.ProductNotExist', 'The product does not exist.');
    if (typeof body.DeviceName !== 'string' || !DEVICE_NAME.test(body.DeviceName)) return apiError('InvalidParameterValue', 'DeviceName is invalid.');
    const algorithm = String(req.headers['x-tc-algorithm'] ?? '');
    if (!['hmacsha256', 'hmacsha1'].includes(algorithm.toLowerCase())) return apiError('InvalidParameterValue', 'X-TC-Algorithm is invalid.');
    const timestamp = Number(req.headers['x-tc-timestamp']);
    if (this.skewed(timestamp)) return apiError('AuthFailure.SignatureExpire', 'The signature has expired: X-TC-Timestamp is more than 5 minutes off.');
    const nonce = Number(req.headers['x-tc-nonce']);
    const given = String(req.headers['x-tc-signature'] ?? '');
    const valid = hostCandidates(req.headers.host).some((host) =>
      safeEqual(deviceSignature({ algorithm, host, path: DYNAMIC_REGISTER_PATH, timestamp, nonce, body: req.body, secret: product.productSecret }), given),
    );
    if (!valid) {
      this.stats.signatureFailures++;
      return apiError('AuthFailure.SignatureFailure', 'The signature does not match.');
    }
    const device = await this.issue(product, body.DeviceName);
    if (!('psk' in device)) return device;
    const { payload, length } = this.payloadFor(product, device);
    return apiOk({ Len: length, Payload: payload });
  }

  /** The legacy endpoint of older device SDKs: lowercase keys, hex-then-base64 HMAC-SHA1. */
  private async legacyRegister(req: SimRequest): Promise<SimReply> {
    this.stats.gatewayRequests++;
    const reply = (code: number, message: string, extra: Record<string, unknown> = {}): SimReply => ({
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: { code, message, ...extra },
    });
    let body: { deviceName?: unknown; nonce?: unknown; productId?: unknown; timestamp?: unknown; signature?: unknown };
    try {
      // Sent labelled as form data, but the bytes are JSON.
      body = JSON.parse(req.text) as typeof body;
    } catch {
      return reply(1, 'invalid request body');
    }
    const product = this.product(body.productId);
    if (!product) return reply(1021, 'product not exist');
    if (typeof body.deviceName !== 'string' || !DEVICE_NAME.test(body.deviceName)) return reply(1, 'invalid deviceName');
    if (this.skewed(Number(body.timestamp))) return reply(1020, 'timestamp expired');
    const expected = legacyRegisterSignature(
      { deviceName: body.deviceName, nonce: String(body.nonce), productId: product.productId, timestamp: String(body.timestamp) },
      product.productSecret,
    );
    if (!safeEqual(expected, String(body.signature ?? ''))) {
      this.stats.signatureFailures++;
      return reply(1022, 'signature check failed');
    }
    const device = await this.issue(product, body.deviceName);
    if (!('psk' in device)) return reply(1023, 'device has been activated');
    const { payload, length } = this.payloadFor(product, device);
    return reply(0, 'success', { len: length, payload });
  }

  private async cloudApi(req: SimRequest): Promise<SimReply> {
    this.stats.cloudApiRequests++;
    const auth = parseTc3Authorization(String(req.headers.authorization ?? ''));
    if (!auth) return apiError('AuthFailure.SignatureFailure', 'The Authorization header is not TC3-HMAC-SHA256.');
    const key = this.keys.find((k) => k.secretId === auth.secretId);
    if (!key) return apiError('AuthFailure.SecretIdNotFound', 'The SecretId is not found.');
    const timestamp = Number(req.headers['x-tc-timestamp']);
    if (this.skewed(timestamp)) return apiError('AuthFailure.SignatureExpire', 'The signature has expired: X-TC-Timestamp is more than 5 minutes off.');
    if (!auth.signedHeaders.includes('content-type') || !auth.signedHeaders.includes('host') || auth.date !== utcDate(timestamp)) {
      this.stats.signatureFailures++;
      return apiError('AuthFailure.SignatureFailure', 'The credential scope or signed headers are wrong.');
    }
    const query = req.url.search.slice(1);
    const sentType = String(req.headers['content-type'] ?? '');
    // Accept what real clients sign: the Host as received or without its port, the content type
    // as sent or lowercased, and a service named iotexplorer or after the host's first label
    // (the official SDK derives it from its endpoint setting).
    const hosts = hostCandidates(req.headers.host);
    const services = new Set([API_SERVICE, ...hosts.map((h) => h.split('.')[0] ?? '')]);
    const valid =
      services.has(auth.service) &&
      hosts.some((host) =>
        [...new Set([sentType, sentType.toLowerCase()])].some((contentType) =>
          safeEqual(
            tc3Signature({
              secretId: auth.secretId,
              secretKey: key.secretKey,
              service: auth.service,
              host,
              method: req.method,
              query: req.method === 'GET' ? query : '',
              contentType,
              payload: req.body,
              timestamp,
            }),
            auth.signature,
          ),
        ),
      );
    if (!valid) {
      this.stats.signatureFailures++;
      return apiError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    }
    if (this.flow && !this.flow.allow(key.secretId)) {
      this.stats.throttled++;
      return apiError('RequestLimitExceeded', 'The request frequency exceeds the limit.');
    }
    if (req.headers['x-tc-version'] !== API_VERSION) return apiError('InvalidParameterValue', `X-TC-Version must be ${API_VERSION}.`);
    let params: Record<string, unknown>;
    try {
      params = req.method === 'GET' ? Object.fromEntries(new URLSearchParams(query)) : (JSON.parse(req.text || '{}') as Record<string, unknown>);
    } catch {
      return apiError('InvalidParameter', 'The request body is not JSON.');
    }
    switch (String(req.headers['x-tc-action'])) {
      case 'CreateDevice':
        return this.createDevice(params);
      case 'DescribeDevice':
        return this.describeDevice(params);
      case 'DeleteDevice':
        return this.deleteDevice(params);
      default:
        return apiError('InvalidAction', `The action ${String(req.headers['x-tc-action'])} is not supported.`);
    }
  }

  private lookup(params: Record<string, unknown>): { product?: TencentSimulatorProduct; device?: SimDevice; error?: SimReply } {
    const product = this.product(params.ProductId);
    if (!product) return { error: apiError('ResourceNotFound.ProductNotExist', 'The product does not exist.') };
    const device = this.devices.get(`${product.productId}/${String(params.DeviceName)}`);
    return { product, device };
  }

  private async createDevice(params: Record<string, unknown>): Promise<SimReply> {
    const { product, device, error } = this.lookup(params);
    if (error || !product) return error as SimReply;
    const name = params.DeviceName;
    if (typeof name !== 'string' || !DEVICE_NAME.test(name)) return apiError('InvalidParameterValue', 'DeviceName is invalid.');
    if (device) return apiError('InvalidParameterValue.DeviceAlreadyExist', 'The device already exists.');
    const defined = params.DefinedPsk;
    if (defined !== undefined && product.authType === 'certificate') {
      return apiError('UnauthorizedOperation.ProductNotSupportPSK', 'The product does not support PSK authentication.');
    }
    if (defined !== undefined && (typeof defined !== 'string' || defined.length < 8 || defined.length > 64)) {
      return apiError('InvalidParameterValue', 'DefinedPsk is invalid.');
    }
    const issued = await this.issue(product, name);
    if (!('psk' in issued)) return issued;
    if (typeof defined === 'string') issued.psk = defined;
    return apiOk({
      Data: {
        DeviceName: name,
        DevicePsk: product.authType === 'certificate' ? '' : issued.psk,
        DeviceCert: issued.cert ?? '',
        DevicePrivateKey: issued.key ?? '',
      },
    });
  }

  private describeDevice(params: Record<string, unknown>): SimReply {
    const { device, error } = this.lookup(params);
    if (error) return error;
    if (!device) return apiError('ResourceNotFound.DeviceNotExist', 'The device does not exist.');
    return apiOk({
      Device: {
        DeviceName: device.deviceName,
        Status: device.status,
        DevicePsk: device.psk,
        FirstOnlineTime: device.firstOnlineTime,
        LoginTime: device.loginTime,
        CreateTime: device.createTime,
        Version: '',
        DeviceCert: device.cert ?? '',
        LogLevel: 0,
        EnableState: 1,
      },
    });
  }

  private deleteDevice(params: Record<string, unknown>): SimReply {
    const { product, device, error } = this.lookup(params);
    if (error || !product) return error as SimReply;
    if (!device) return apiError('ResourceNotFound.DeviceNotExist', 'The device does not exist.');
    this.devices.delete(`${product.productId}/${device.deviceName}`);
    return apiOk({});
  }

  /** Device-side routes: POST /__sim/devices/{productId}/{deviceName}/{connect|disconnect}, /__sim/clock, ... */
  protected override control(req: SimRequest): SimReply | undefined {
    const path = req.url.pathname;
    if (req.method === 'GET' && path === '/__sim/stats') return { status: 200, body: { ...this.stats } };
    if (req.method === 'GET' && path === '/__sim/devices') {
      return { status: 200, body: this.listDevices().map(({ psk: _psk, key: _key, ...device }) => device) };
    }
    if (req.method === 'POST' && path === '/__sim/clock') {
      const { skewSeconds } = JSON.parse(req.text || '{}') as { skewSeconds?: number };
      this.setClockSkew(Number(skewSeconds ?? 0));
      return { status: 204 };
    }
    if (req.method === 'POST' && path === '/__sim/device-connect') {
      const { productId, deviceName, psk } = JSON.parse(req.text || '{}') as Record<string, string>;
      try {
        this.connectWithPsk(String(productId), String(deviceName), String(psk));
        return { status: 204 };
      } catch {
        return { status: 401, body: { error: 'PSK rejected' } };
      }
    }
    const match = /^\/__sim\/devices\/([^/]+)\/([^/]+)\/(connect|disconnect)$/.exec(path);
    if (req.method === 'POST' && match) {
      const [, productId, deviceName, action] = match as unknown as [string, string, string, string];
      if (!this.device(productId, decodeURIComponent(deviceName))) return { status: 404, body: { error: 'no such device' } };
      if (action === 'connect') this.connect(productId, decodeURIComponent(deviceName));
      else this.disconnect(productId, decodeURIComponent(deviceName));
      return { status: 204 };
    }
    return undefined;
  }
}
