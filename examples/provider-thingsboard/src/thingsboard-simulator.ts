import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { simulatorClientRetry, type RunningSimulator, type SimulatorHook } from '@provisio/core';
import { BaseSimulator, type SimFault, type SimReply, type SimRequest } from '@provisio/core/simulator';

interface TbDevice {
  id: string;
  name: string;
  type: string;
  label?: string;
  token: string;
  credentialsId: string;
  createdTime: number;
  active: boolean;
  lastConnectTime?: number;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

function tbError(status: number, errorCode: number, message: string): SimReply {
  return { status, headers: JSON_TYPE, body: { status, message, errorCode, timestamp: Date.now() } };
}

/** A local ThingsBoard CE: JWT login/refresh, devices with access tokens, attributes, delete. */
export class ThingsboardSimulator extends BaseSimulator {
  readonly username = 'tenant@thingsboard.org';
  readonly password = randomBytes(9).toString('base64url');
  private readonly signingKey = randomBytes(32);
  private readonly devices = new Map<string, TbDevice>();
  private readonly refreshTokens = new Set<string>();

  constructor(private readonly tokenTtlSeconds = 9000) {
    super({});
  }

  protected vendorFault(fault: Extract<SimFault, { kind: 'vendor' }>): SimReply {
    return tbError(fault.status ?? 400, Number(fault.code), fault.message ?? 'injected');
  }

  /** The device connects (MQTT username = its access token). */
  connect(token: string): void {
    const device = [...this.devices.values()].find((d) => d.token === token);
    if (!device) throw new Error('connection refused: unknown access token');
    device.active = true;
    device.lastConnectTime = Date.now();
  }

  disconnect(deviceId: string): void {
    const device = this.devices.get(deviceId);
    if (device) device.active = false;
  }

  private jwt(): string {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const body = `${part({ alg: 'HS512' })}.${part({ sub: this.username, scopes: ['TENANT_ADMIN'], exp: Math.floor(Date.now() / 1000) + this.tokenTtlSeconds })}`;
    return `${body}.${createHmac('sha512', this.signingKey).update(body).digest('base64url')}`;
  }

  private validJwt(header: string | string[] | undefined): boolean {
    const token = String(header ?? '').replace(/^Bearer /, '');
    const [h, p, sig] = token.split('.');
    if (!h || !p || !sig || createHmac('sha512', this.signingKey).update(`${h}.${p}`).digest('base64url') !== sig) return false;
    const { exp } = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { exp: number };
    return exp * 1000 > Date.now();
  }

  private issue(): SimReply {
    const refreshToken = randomBytes(16).toString('hex');
    this.refreshTokens.add(refreshToken);
    return { status: 200, headers: JSON_TYPE, body: { token: this.jwt(), refreshToken } };
  }

  private body(req: SimRequest): Record<string, unknown> {
    try {
      return JSON.parse(req.text || '{}') as Record<string, unknown>;
    } catch {
      return {};
    }
  }

  protected handle(req: SimRequest): SimReply {
    const path = req.url.pathname;
    if (req.method === 'POST' && path === '/api/auth/login') {
      const { username, password } = this.body(req);
      return username === this.username && password === this.password ? this.issue() : tbError(401, 10, 'Invalid username or password');
    }
    if (req.method === 'POST' && path === '/api/auth/token') {
      const { refreshToken } = this.body(req);
      if (typeof refreshToken !== 'string' || !this.refreshTokens.delete(refreshToken)) return tbError(401, 10, 'Invalid refresh token');
      return this.issue();
    }
    if (!this.validJwt(req.headers['x-authorization'])) return tbError(401, 11, 'Token has expired');

    if (req.method === 'POST' && path === '/api/device') return this.create(req);
    if (req.method === 'GET' && path === '/api/tenant/devices') {
      const found = [...this.devices.values()].find((d) => d.name === req.url.searchParams.get('deviceName'));
      return found ? { status: 200, headers: JSON_TYPE, body: this.view(found) } : tbError(404, 32, "Requested item wasn't found!");
    }
    if (req.method === 'POST' && path === '/api/device/credentials') return this.updateCredentials(req);
    const attributes = /^\/api\/plugins\/telemetry\/DEVICE\/([^/]+)\/values\/attributes\/SERVER_SCOPE$/.exec(path);
    if (req.method === 'GET' && attributes) return this.attributes(attributes[1] as string);
    const credentials = /^\/api\/device\/([^/]+)\/credentials$/.exec(path);
    if (req.method === 'GET' && credentials) return this.credentials(credentials[1] as string);
    const device = /^\/api\/device\/([^/]+)$/.exec(path);
    if (device) {
      const found = this.devices.get(device[1] as string);
      if (!found) return tbError(404, 32, "Requested item wasn't found!");
      if (req.method === 'GET') return { status: 200, headers: JSON_TYPE, body: this.view(found) };
      if (req.method === 'DELETE') {
        this.devices.delete(found.id);
        return { status: 200 };
      }
    }
    return tbError(404, 32, "Requested item wasn't found!");
  }

  private view(device: TbDevice): Record<string, unknown> {
    return { id: { entityType: 'DEVICE', id: device.id }, createdTime: device.createdTime, name: device.name, type: device.type, label: device.label ?? null };
  }

  private create(req: SimRequest): SimReply {
    const { name, type, label } = this.body(req);
    if (typeof name !== 'string' || !name) return tbError(400, 31, 'Device name should be specified!');
    if ([...this.devices.values()].some((d) => d.name === name)) return tbError(400, 31, 'Device with such name already exists!');
    const token = req.url.searchParams.get('accessToken') ?? randomBytes(15).toString('base64url');
    if ([...this.devices.values()].some((d) => d.token === token)) return tbError(400, 31, 'Specified credentials are already registered!');
    const device: TbDevice = {
      id: randomUUID(), name, type: typeof type === 'string' ? type : 'default', label: typeof label === 'string' ? label : undefined,
      token, credentialsId: randomUUID(), createdTime: Date.now(), active: false,
    };
    this.devices.set(device.id, device);
    return { status: 200, headers: JSON_TYPE, body: this.view(device) };
  }

  private credentials(deviceId: string): SimReply {
    const device = this.devices.get(deviceId);
    if (!device) return tbError(404, 32, "Requested item wasn't found!");
    return {
      status: 200,
      headers: JSON_TYPE,
      body: { id: { id: device.credentialsId }, createdTime: device.createdTime, deviceId: { entityType: 'DEVICE', id: device.id }, credentialsType: 'ACCESS_TOKEN', credentialsId: device.token, credentialsValue: null },
    };
  }

  private updateCredentials(req: SimRequest): SimReply {
    const body = this.body(req) as { deviceId?: { id?: string }; credentialsId?: string; credentialsType?: string };
    const device = this.devices.get(body.deviceId?.id ?? '');
    if (!device) return tbError(404, 32, "Requested item wasn't found!");
    if (body.credentialsType !== 'ACCESS_TOKEN' || !body.credentialsId) return tbError(400, 31, 'Incorrect credentials');
    if ([...this.devices.values()].some((d) => d.token === body.credentialsId && d.id !== device.id)) {
      return tbError(400, 31, 'Specified credentials are already registered!');
    }
    device.token = body.credentialsId;
    device.active = false; // the old session is dropped
    return this.credentials(device.id);
  }

  private attributes(deviceId: string): SimReply {
    const device = this.devices.get(deviceId);
    if (!device) return tbError(404, 32, "Requested item wasn't found!");
    const now = Date.now();
    const values: Array<{ lastUpdateTs: number; key: string; value: unknown }> = [{ lastUpdateTs: now, key: 'active', value: device.active }];
    if (device.lastConnectTime) values.push({ lastUpdateTs: now, key: 'lastConnectTime', value: device.lastConnectTime });
    return { status: 200, headers: JSON_TYPE, body: values };
  }
}

/** The plugin's simulator hook: how the conformance runner and the demo start it. */
export const thingsboardSimulatorHook: SimulatorHook = {
  async start(): Promise<RunningSimulator> {
    const simulator = new ThingsboardSimulator();
    await simulator.start();
    return {
      url: simulator.url,
      instanceConfig: (overrides = {}) => ({
        baseUrl: simulator.url,
        username: simulator.username,
        password: overrides.invalidCredentials ? `wrong-${simulator.password}` : simulator.password,
        retry: simulatorClientRetry(overrides),
        ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
      }),
      secrets: () => [simulator.password],
      backend: {
        connect: async (_registration, credentials) => {
          if (credentials.kind !== 'psk') throw new Error('ThingsBoard devices connect with an access token');
          simulator.connect(credentials.psk);
        },
        disconnect: async (registration) => simulator.disconnect(registration.deviceId),
        ...simulator.faultControls(),
      },
      stop: () => simulator.stop(),
    };
  },
};
