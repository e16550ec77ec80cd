import { randomBytes, randomUUID } from 'node:crypto';
import { BaseSimulator, SlidingWindowCounter, type SimFault, type SimReply, type SimRequest, type SimTlsOptions } from '@provisio/core/simulator';
import { DEFAULT_VALIDITY_SECONDS, FLOW_CONTROL, PSK, ROUTES, TOKEN_TTL_SECONDS } from './platform-facts.js';

export interface HuaweiSimulatorApp {
  appId: string;
  secret: string;
}

export interface HuaweiSimulatorOptions {
  /** Applications that may log in. Default: one app, `sim-app` / a random secret (see `apps`). */
  apps?: HuaweiSimulatorApp[];
  host?: string;
  port?: number;
  /** Serve HTTPS with these keys; mutual TLS when `requestCert` and `rejectUnauthorized` are set. */
  tls?: SimTlsOptions;
  /** Access-token lifetime in seconds (the platform: 3600). */
  tokenTtlSeconds?: number;
  /** Refresh-token lifetime in seconds (the docs say 24 h or one month). */
  refreshTokenTtlSeconds?: number;
  /** Calls per app per interval before 403 1010009 (the platform: 100 per minute); false for none. */
  flowControl?: { limit: number; intervalMs: number } | false;
  /** Verification-code validity when a request gives none (the platform: 180 s). */
  defaultTimeout?: number;
  /** Products that exist; when set, an unknown productId answers 403 600002. */
  products?: string[];
  /** Devices per app before 500 100412. */
  maxDevices?: number;
  /** The clock (epoch ms); tests move it to expire tokens and verification codes. */
  now?: () => number;
}

type DeviceState = 'INACTIVE' | 'ONLINE' | 'OFFLINE' | 'ABNORMAL';

interface SimDevice {
  deviceId: string;
  appId: string;
  nodeId: string;
  verifyCode: string;
  psk: string;
  timeout: number;
  /** When the current verification code was issued (validity counts from here). */
  issuedAt: number;
  activated: boolean;
  status: DeviceState;
  name?: string;
  productId?: string;
  deviceInfo?: Record<string, unknown>;
  createTime: string;
  lastModifiedTime: string;
}

interface AppSession {
  secret: string;
  accessToken?: string;
  accessExpiresAt: number;
  refreshToken?: string;
  refreshExpiresAt: number;
}

export interface HuaweiSimulatorStats {
  logins: number;
  refreshes: number;
  requests: number;
  throttled: number;
  devices: number;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** Business error shape: `{"error_code","error_desc"}`. */
function businessError(status: number, code: string, desc: string): SimReply {
  return { status, headers: JSON_TYPE, body: { error_code: code, error_desc: desc } };
}

/** Gateway error shape: `{"resultcode","resultmsg"}` (1010005, 1010009). */
function gatewayError(status: number, code: string, msg: string): SimReply {
  return { status, headers: JSON_TYPE, body: { resultcode: code, resultmsg: msg } };
}

const GATEWAY_CODES = new Set(['1010005', '1010009']);

function timestamp(ms: number): string {
  // OceanConnect writes times as yyyyMMddTHHmmssZ
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * A local OceanConnect: login/refresh with only-the-latest-token-valid, verification-code
 * registration with its validity period, activation, device query, rekey refused while
 * online, delete (204), flow control, both error shapes. The device side and faults are
 * driven through `/__sim/...` routes or the methods below.
 */
export class HuaweiSimulator extends BaseSimulator {
  readonly apps: HuaweiSimulatorApp[];
  readonly stats: HuaweiSimulatorStats = { logins: 0, refreshes: 0, requests: 0, throttled: 0, devices: 0 };
  private readonly sessions = new Map<string, AppSession>();
  private readonly devices = new Map<string, SimDevice>();
  /** appId + nodeId -> deviceId, so a duplicate check does not scan every device. */
  private readonly byNode = new Map<string, string>();
  private readonly flow: SlidingWindowCounter | undefined;
  private readonly now: () => number;

  private constructor(private readonly options: HuaweiSimulatorOptions) {
    super({ host: options.host, port: options.port, tls: options.tls });
    this.now = options.now ?? Date.now;
    this.apps = options.apps ?? [{ appId: 'sim-app', secret: randomBytes(12).toString('hex') }];
    for (const app of this.apps) this.sessions.set(app.appId, { secret: app.secret, accessExpiresAt: 0, refreshExpiresAt: 0 });
    const flow = options.flowControl === undefined ? FLOW_CONTROL : options.flowControl;
    this.flow = flow ? new SlidingWindowCounter(flow.limit, flow.intervalMs) : undefined;
  }

  static async start(options: HuaweiSimulatorOptions = {}): Promise<HuaweiSimulator> {
    const simulator = new HuaweiSimulator(options);
    await simulator.start();
    return simulator;
  }

  // ---- device side and test controls -------------------------------------------------

  /** The device connects (first time: activation). */
  connect(deviceId: string): void {
    const device = this.mustFind(deviceId);
    device.activated = true;
    device.status = 'ONLINE';
    device.lastModifiedTime = timestamp(this.now());
  }

  /** A device connects the way a real one does: with its node id and verification code. */
  connectWithCode(nodeId: string, verifyCode: string): string {
    const device = [...this.liveDevices()].find((d) => d.nodeId === nodeId && d.verifyCode === verifyCode);
    if (!device) throw new Error('verification failed');
    this.connect(device.deviceId);
    return device.deviceId;
  }

  /** A password-mode (MQTT) device connects with its node id and secret. */
  connectWithSecret(nodeId: string, secret: string): string {
    const device = [...this.liveDevices()].find((d) => d.nodeId === nodeId && d.verifyCode === '' && d.psk === secret);
    if (!device) throw new Error('authentication failed');
    this.connect(device.deviceId);
    return device.deviceId;
  }

  disconnect(deviceId: string): void {
    const device = this.mustFind(deviceId);
    device.status = device.activated ? 'OFFLINE' : 'INACTIVE';
  }

  markAbnormal(deviceId: string): void {
    this.mustFind(deviceId).status = 'ABNORMAL';
  }

  /** Expires every access token now (the next call answers 1010005). */
  expireTokens(): void {
    for (const session of this.sessions.values()) session.accessExpiresAt = 0;
  }

  /** Revokes refresh tokens too (the next refresh answers 100208). */
  revokeRefreshTokens(): void {
    for (const session of this.sessions.values()) session.refreshExpiresAt = 0;
  }

  /** Registered devices (after validity-period expiry), for assertions. */
  listDevices(): ReadonlyArray<Readonly<SimDevice>> {
    return [...this.liveDevices()];
  }

  // ---- wire ---------------------------------------------------------------------------

  private *liveDevices(): Iterable<SimDevice> {
    for (const device of [...this.devices.values()]) {
      if (this.expired(device)) this.forget(device);
      else yield device;
    }
  }

  /** A registration not activated within its validity period disappears (0 = never). */
  private expired(device: SimDevice): boolean {
    return !device.activated && device.timeout > 0 && this.now() > device.issuedAt + device.timeout * 1000;
  }

  private forget(device: SimDevice): void {
    this.devices.delete(device.deviceId);
    if (this.byNode.get(`${device.appId}\u0000${device.nodeId}`) === device.deviceId) this.byNode.delete(`${device.appId}\u0000${device.nodeId}`);
    this.stats.devices = this.devices.size;
  }

  private find(deviceId: string, appId?: string): SimDevice | undefined {
    const device = this.devices.get(deviceId);
    if (!device || (appId && device.appId !== appId)) return undefined;
    if (this.expired(device)) {
      this.forget(device);
      return undefined;
    }
    return device;
  }

  private findByNode(appId: string, nodeId: string): SimDevice | undefined {
    const id = this.byNode.get(`${appId}\u0000${nodeId}`);
    return id ? this.find(id, appId) : undefined;
  }

  private mustFind(deviceId: string): SimDevice {
    const device = this.find(deviceId);
    if (!device) throw new Error(`no device ${deviceId}`);
    return device;
  }

  protected vendorFault(fault: Extract<SimFault, { kind: 'vendor' }>): SimReply {
    const status = fault.status ?? 400;
    const message = fault.message ?? `injected ${fault.code}`;
    return GATEWAY_CODES.has(fault.code) ? gatewayError(status, fault.code, message) : businessError(status, fault.code, message);
  }

  protected handle(req: SimRequest): SimReply {
    this.stats.requests++;
    const path = req.url.pathname;
    if (req.method === 'POST' && path === ROUTES.login) return this.login(req);
    if (req.method === 'POST' && path === ROUTES.refreshToken) return this.refresh(req);

    const appId = String(req.headers.app_key ?? '');
    const session = this.sessions.get(appId);
    if (!appId) return businessError(401, '100025', 'AppId for auth not exist.');
    if (!session) return businessError(403, '100203', 'The application is not existed.');
    if (!this.withinFlowControl(appId)) return gatewayError(403, '1010009', 'app throttle exceed.');
    const bearer = String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    if (!session.accessToken || bearer !== session.accessToken || this.now() >= session.accessExpiresAt) {
      return gatewayError(403, '1010005', 'Invalid access token or appId.');
    }
    const queryApp = req.url.searchParams.get('appId');
    if (queryApp && queryApp !== appId) return businessError(403, '100217', "The application hasn't been authorized.");

    const credentials = `${ROUTES.deviceCredentials}/`;
    const devices = `${ROUTES.devices}/`;
    if (req.method === 'POST' && path === ROUTES.deviceCredentials) return this.register(req, appId);
    if (req.method === 'POST' && path === ROUTES.deviceCredentialsV2) return this.registerWithPassword(req, appId);
    if (req.method === 'GET' && path === ROUTES.devices) return this.deviceList(req, appId);
    if (path.startsWith(credentials)) {
      const deviceId = decodeURIComponent(path.slice(credentials.length));
      if (req.method === 'GET') return this.activation(deviceId, appId);
      if (req.method === 'PUT') return this.rekey(req, deviceId, appId);
    }
    if (path.startsWith(devices)) {
      const deviceId = decodeURIComponent(path.slice(devices.length));
      if (req.method === 'GET') return this.deviceInfo(deviceId, appId);
      if (req.method === 'DELETE') return this.remove(deviceId, appId);
    }
    return businessError(404, '100007', 'Bad request message.');
  }

  private withinFlowControl(appId: string): boolean {
    if (!this.flow || this.flow.allow(appId)) return true;
    this.stats.throttled++;
    return false;
  }

  private login(req: SimRequest): SimReply {
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    if (!type.startsWith('application/x-www-form-urlencoded')) return businessError(400, '50400', 'The input is invalid.');
    const form = new URLSearchParams(req.text);
    const appId = form.get('appId') ?? '';
    const secret = form.get('secret') ?? '';
    if (!appId || !secret) return businessError(400, '102202', 'Required Parameter is null or empty.');
    if (!this.withinFlowControl(appId)) return gatewayError(403, '1010009', 'app throttle exceed.');
    const session = this.sessions.get(appId);
    if (!session || session.secret !== secret) return businessError(401, '100208', 'AppId or secret is not right.');
    this.stats.logins++;
    return { status: 200, headers: JSON_TYPE, body: this.issue(session) };
  }

  private refresh(req: SimRequest): SimReply {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.text) as Record<string, unknown>;
    } catch {
      return businessError(400, '50400', 'The input is invalid.');
    }
    const { appId, secret, refreshToken } = body as { appId?: string; secret?: string; refreshToken?: string };
    if (!appId || !secret || !refreshToken) return businessError(400, '102202', 'Required Parameter is null or empty.');
    if (!this.withinFlowControl(appId)) return gatewayError(403, '1010009', 'app throttle exceed.');
    const session = this.sessions.get(appId);
    if (!session || session.secret !== secret || session.refreshToken !== refreshToken || this.now() >= session.refreshExpiresAt) {
      return businessError(401, '100208', 'AppId or secret is not right.');
    }
    this.stats.refreshes++;
    return { status: 200, headers: JSON_TYPE, body: this.issue(session) };
  }

  /** A new token pair; every earlier access token stops working (only the newest is valid). */
  private issue(session: AppSession): Record<string, unknown> {
    const ttl = this.options.tokenTtlSeconds ?? TOKEN_TTL_SECONDS;
    session.accessToken = randomBytes(16).toString('hex');
    session.accessExpiresAt = this.now() + ttl * 1000;
    session.refreshToken = randomBytes(16).toString('hex');
    session.refreshExpiresAt = this.now() + (this.options.refreshTokenTtlSeconds ?? 30 * 24 * 3600) * 1000;
    return { scope: 'default', tokenType: 'Bearer', expiresIn: ttl, accessToken: session.accessToken, refreshToken: session.refreshToken };
  }

  private parseJson(req: SimRequest): { body: Record<string, unknown> } | { reply: SimReply } {
    try {
      const value = JSON.parse(req.text || '{}') as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) return { body: value as Record<string, unknown> };
    } catch {
      /* falls through */
    }
    return { reply: businessError(400, '50400', 'The input is invalid.') };
  }

  private register(req: SimRequest, appId: string): SimReply {
    const parsed = this.parseJson(req);
    if ('reply' in parsed) return parsed.reply;
    const b = parsed.body;
    const nodeId = b.nodeId;
    if (typeof nodeId !== 'string' || nodeId.length === 0 || nodeId.length > 256) return businessError(400, '100007', 'Bad request message.');
    if (b.psk !== undefined && !(typeof b.psk === 'string' && PSK.test(b.psk))) {
      return businessError(400, '50400', 'The input is invalid.');
    }
    const timeout = b.timeout ?? this.options.defaultTimeout ?? DEFAULT_VALIDITY_SECONDS;
    if (!Number.isInteger(timeout) || (timeout as number) < 0 || (timeout as number) > 2147483647) {
      return businessError(400, '50400', 'The input is invalid.');
    }
    if (b.verifyCode !== undefined && (typeof b.verifyCode !== 'string' || b.verifyCode.length > 256)) {
      return businessError(400, '100003', 'Invalid verify code.');
    }
    if (b.imsi !== undefined && (typeof b.imsi !== 'string' || b.imsi.length < 1 || b.imsi.length > 64)) {
      return businessError(400, '50400', 'The input is invalid.');
    }
    const productId = typeof b.productId === 'string' ? b.productId : undefined;
    if (productId && this.options.products && !this.options.products.includes(productId)) {
      return businessError(403, '600002', 'The product not existed.');
    }
    if (this.findByNode(appId, nodeId)) return businessError(400, '100426', 'The nodeId is duplicated.');
    if (this.options.maxDevices !== undefined && [...this.liveDevices()].filter((d) => d.appId === appId).length >= this.options.maxDevices) {
      return businessError(500, '100412', 'The amount of device has reached the limit.');
    }
    if (b.deviceInfo !== undefined && !isDeviceInfo(b.deviceInfo, REGISTER_DEVICE_INFO)) return businessError(400, '50400', 'The input is invalid.');
    const now = this.now();
    const deviceInfo = (b.deviceInfo ?? undefined) as Record<string, unknown> | undefined;
    const device: SimDevice = {
      deviceId: randomUUID(),
      appId,
      nodeId,
      verifyCode: typeof b.verifyCode === 'string' ? b.verifyCode : randomBytes(8).toString('hex').toUpperCase(),
      psk: typeof b.psk === 'string' ? b.psk : randomBytes(16).toString('hex'),
      timeout: timeout as number,
      issuedAt: now,
      activated: false,
      status: 'INACTIVE',
      name: typeof deviceInfo?.name === 'string' ? deviceInfo.name : undefined,
      productId,
      deviceInfo,
      createTime: timestamp(now),
      lastModifiedTime: timestamp(now),
    };
    this.devices.set(device.deviceId, device);
    this.byNode.set(`${appId}\u0000${nodeId}`, device.deviceId);
    this.stats.devices = this.devices.size;
    return {
      status: 200,
      headers: JSON_TYPE,
      body: { deviceId: device.deviceId, verifyCode: device.verifyCode, psk: device.psk, timeout: device.timeout },
    };
  }

  /** Password mode (v2.0.0): `{deviceInfo:{nodeId,...}, productId?, secret?}` → `{deviceId, secret}`. */
  private registerWithPassword(req: SimRequest, appId: string): SimReply {
    const parsed = this.parseJson(req);
    if ('reply' in parsed) return parsed.reply;
    const info = (parsed.body.deviceInfo ?? {}) as Record<string, unknown>;
    const nodeId = info.nodeId;
    if (typeof nodeId !== 'string' || !nodeId || nodeId.length > 256) return businessError(400, '100007', 'Bad request message.');
    if (!isDeviceInfo(info, PASSWORD_DEVICE_INFO)) return businessError(400, '50400', 'The input is invalid.');
    const secret = parsed.body.secret;
    if (secret !== undefined && !(typeof secret === 'string' && PSK.test(secret))) return businessError(400, '50400', 'The input is invalid.');
    if (this.findByNode(appId, nodeId)) return businessError(400, '100426', 'The nodeId is duplicated.');
    const now = this.now();
    const device: SimDevice = {
      deviceId: randomUUID(),
      appId,
      nodeId,
      verifyCode: '',
      psk: typeof secret === 'string' ? secret : randomBytes(16).toString('hex'),
      timeout: 0,
      issuedAt: now,
      activated: false,
      status: 'INACTIVE',
      name: typeof info.name === 'string' ? info.name : undefined,
      productId: typeof parsed.body.productId === 'string' ? parsed.body.productId : undefined,
      deviceInfo: info,
      createTime: timestamp(now),
      lastModifiedTime: timestamp(now),
    };
    this.devices.set(device.deviceId, device);
    this.byNode.set(`${appId}\u0000${nodeId}`, device.deviceId);
    this.stats.devices = this.devices.size;
    return { status: 200, headers: JSON_TYPE, body: { deviceId: device.deviceId, secret: device.psk } };
  }

  private activation(deviceId: string, appId: string): SimReply {
    const device = this.find(deviceId, appId);
    if (!device) return businessError(404, '100403', 'The device is not existed.');
    return { status: 200, headers: JSON_TYPE, body: { deviceId, activated: device.activated, name: device.name ?? null } };
  }

  private rekey(req: SimRequest, deviceId: string, appId: string): SimReply {
    const parsed = this.parseJson(req);
    if ('reply' in parsed) return parsed.reply;
    const b = parsed.body;
    const device = this.find(deviceId, appId);
    if (!device) return businessError(404, '100403', 'The device is not existed.');
    if (device.status === 'ONLINE') return businessError(400, '100611', 'Device is online.');
    // Seed 002: refreshing the key of a device that has never connected is refused.
    if (!device.activated) return businessError(400, '100610', 'Device is not active.');
    if (b.nodeId !== undefined && (typeof b.nodeId !== 'string' || !b.nodeId || b.nodeId.length > 256)) {
      return businessError(400, '50400', 'The input is invalid.');
    }
    const timeout = b.timeout ?? this.options.defaultTimeout ?? DEFAULT_VALIDITY_SECONDS;
    if (!Number.isInteger(timeout) || (timeout as number) < 0) return businessError(400, '50400', 'The input is invalid.');
    if (typeof b.nodeId === 'string' && b.nodeId !== device.nodeId) {
      if (this.findByNode(appId, b.nodeId)) return businessError(400, '100426', 'The nodeId is duplicated.');
      this.byNode.delete(`${appId}\u0000${device.nodeId}`);
      device.nodeId = b.nodeId;
      this.byNode.set(`${appId}\u0000${device.nodeId}`, device.deviceId);
    }
    device.verifyCode = typeof b.verifyCode === 'string' ? b.verifyCode : randomBytes(8).toString('hex').toUpperCase();
    device.timeout = timeout as number;
    device.issuedAt = this.now();
    device.lastModifiedTime = timestamp(this.now());
    return { status: 200, headers: JSON_TYPE, body: { verifyCode: device.verifyCode, timeout: device.timeout } };
  }

  /** Querying device information in batches: pageNo from 0, pageSize 1-250, oldest first. */
  private deviceList(req: SimRequest, appId: string): SimReply {
    const pageNo = Number(req.url.searchParams.get('pageNo') ?? 0);
    const pageSize = Number(req.url.searchParams.get('pageSize') ?? 1);
    if (!Number.isInteger(pageNo) || pageNo < 0 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 250) {
      return businessError(400, '50400', 'The input is invalid.');
    }
    const all = [...this.liveDevices()].filter((d) => d.appId === appId);
    const devices = all.slice(pageNo * pageSize, (pageNo + 1) * pageSize).map((d) => this.view(d));
    return { status: 200, headers: JSON_TYPE, body: { totalCount: all.length, pageNo, pageSize, devices } };
  }

  private deviceInfo(deviceId: string, appId: string): SimReply {
    const device = this.find(deviceId, appId);
    if (!device) return businessError(404, '100403', 'The device is not existed.');
    return { status: 200, headers: JSON_TYPE, body: this.view(device) };
  }

  private view(device: SimDevice): Record<string, unknown> {
    return {
        deviceId: device.deviceId,
        gatewayId: device.deviceId,
        nodeType: 'GATEWAY',
        createTime: device.createTime,
        lastModifiedTime: device.lastModifiedTime,
        deviceInfo: {
          // What the caller registered first; what the platform owns (identity, state) last.
          ...(device.deviceInfo ?? {}),
          nodeId: device.nodeId,
          name: device.name ?? null,
          status: device.status,
          statusDetail: device.status === 'ONLINE' ? 'NONE' : device.activated ? 'NONE' : 'NOT_ACTIVE',
        },
        services: [],
    };
  }

  private remove(deviceId: string, appId: string): SimReply {
    const device = this.find(deviceId, appId);
    if (!device) return businessError(404, '100403', 'The device is not existed.');
    this.forget(device);
    return { status: 204 }; // no body, no Content-Type: the vendor SDK throws on a 200 with a body
  }

  /** Device-side routes: POST /__sim/devices/{id}/{connect|disconnect|abnormal}, /__sim/device-login, ... */
  protected override control(req: SimRequest): SimReply | undefined {
    const path = req.url.pathname;
    if (req.method === 'GET' && path === '/__sim/stats') return { status: 200, body: { ...this.stats } };
    // Secrets stay on the device side of the control surface: prove them with device-login.
    if (req.method === 'GET' && path === '/__sim/devices') {
      return { status: 200, body: this.listDevices().map(({ psk: _psk, verifyCode: _code, ...device }) => device) };
    }
    if (req.method === 'POST' && path === '/__sim/tokens/expire') {
      this.expireTokens();
      return { status: 204 };
    }
    if (req.method === 'POST' && path === '/__sim/device-login') {
      const { nodeId, verifyCode, secret, psk } = JSON.parse(req.text || '{}') as { nodeId?: string; verifyCode?: string; secret?: string; psk?: string };
      try {
        // A verify-code device that also presents its DTLS PSK must hold the one the platform has.
        if (psk !== undefined && [...this.liveDevices()].every((d) => d.nodeId !== nodeId || d.psk !== psk)) throw new Error('psk mismatch');
        const deviceId = secret !== undefined ? this.connectWithSecret(String(nodeId), secret) : this.connectWithCode(String(nodeId), String(verifyCode));
        return { status: 200, body: { deviceId } };
      } catch {
        return { status: 401, body: { error: 'verification failed' } };
      }
    }
    const match = /^\/__sim\/devices\/([^/]+)\/(connect|disconnect|abnormal)$/.exec(path);
    if (req.method === 'POST' && match) {
      const [, id, action] = match as unknown as [string, string, string];
      const deviceId = decodeURIComponent(id);
      if (!this.find(deviceId)) return { status: 404, body: { error: 'no such device' } };
      if (action === 'connect') this.connect(deviceId);
      else if (action === 'disconnect') this.disconnect(deviceId);
      else this.markAbnormal(deviceId);
      return { status: 204 };
    }
    return undefined;
  }
}

/** DeviceInfoDTO (seed 000): the product model fields and the name; nothing the platform owns. */
const MODEL_KEYS = ['manufacturerId', 'manufacturerName', 'deviceType', 'model', 'protocolType'] as const;
const REGISTER_DEVICE_INFO = new Set<string>([...MODEL_KEYS, 'name']);
/** Password mode (v2.0.0) carries the node id inside deviceInfo as well. */
const PASSWORD_DEVICE_INFO = new Set<string>([...REGISTER_DEVICE_INFO, 'nodeId']);

/**
 * An object of known String(256) fields only (a `status` or `nodeId` smuggled in is refused,
 * as the platform's DTO does), and the model given whole or not at all.
 */
function isDeviceInfo(value: unknown, allowed: ReadonlySet<string>): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.some(([key, field]) => !allowed.has(key) || typeof field !== 'string' || field.length > 256)) return false;
  const model = MODEL_KEYS.filter((key) => key in (value as Record<string, unknown>)).length;
  return model === 0 || model === MODEL_KEYS.length;
}
