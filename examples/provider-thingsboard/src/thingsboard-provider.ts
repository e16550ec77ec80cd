import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import {
  BaseProvider, HttpClient, ProvisioningError, TokenManager,
  type AccessToken, type DeviceCredentials, type DeviceRef, type LookupRequest, type DeviceStatus, type InstanceContext, type PreparedRequest,
  type ProviderCapabilities, type RegisterRequest, type Registration, type RekeyRequest, type SealedCredentials,
} from '@provisio/core';
import { interpretThingsboard, JWT_EXPIRED } from './thingsboard-errors.js';

export interface ThingsboardConfig {
  baseUrl: string;
  username: string;
  password: string;
  deviceType?: string;
  timeoutMs?: number;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
}

/** Seconds of a JWT's `exp` claim, read without verifying (the server verifies). */
function jwtExpiry(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    return (payload.exp ?? 0) * 1000;
  } catch {
    return 0;
  }
}

/** ThingsBoard CE: devices with access-token credentials, managed over its REST API. */
export class ThingsboardProvider extends BaseProvider {
  readonly id = 'thingsboard';
  readonly capabilities: ProviderCapabilities = {
    operations: { register: true, lookup: true, status: true, rekey: true, decryptCredentials: true, unregister: true },
    credentialKinds: ['psk'],
    sealedCredentials: false,
    rekeyRequiresOffline: false, // ThingsBoard swaps the token and drops the device's session
    connectivity: true,
  };
  private readonly http: HttpClient;
  private readonly tokens: TokenManager;

  constructor(private readonly context: InstanceContext<ThingsboardConfig>) {
    super({ redactor: context.redactor });
    const config = context.config;
    this.http = new HttpClient({
      provider: this.id,
      baseURL: config.baseUrl,
      timeoutMs: config.timeoutMs,
      retry: config.retry,
      interpret: interpretThingsboard,
      redactor: this.redactor,
      logger: context.logger,
    });
    this.tokens = new TokenManager({
      login: () => this.login('/api/auth/login', { username: config.username, password: config.password }),
      refresh: (current) => this.login('/api/auth/token', { refreshToken: current.refreshToken }),
    });
    this.http.setAuth({
      ready: async () => {
        await this.tokens.get();
      },
      authorize: async (request: PreparedRequest) => {
        request.headers['X-Authorization'] = `Bearer ${await this.tokens.get()}`;
      },
      recover: async (error: ProvisioningError, request: PreparedRequest) => {
        if (error.vendorCode !== String(JWT_EXPIRED)) return false;
        await this.tokens.invalidate((request.headers['X-Authorization'] ?? '').replace(/^Bearer /, ''));
        return true;
      },
    });
  }

  private async login(path: string, body: Record<string, unknown>): Promise<AccessToken> {
    const response = await this.http.send({ operation: 'login', method: 'POST', path, json: body, authenticate: false, idempotent: true });
    const { token, refreshToken } = response.data as { token: string; refreshToken: string };
    // Held, not added: the current session tokens stay redacted however many device tokens follow.
    this.redactor.hold('thingsboard.token', token);
    this.redactor.hold('thingsboard.refreshToken', refreshToken);
    return { value: token, refreshToken, expiresAt: jwtExpiry(token) };
  }

  protected override async doRegister(request: RegisterRequest): Promise<Registration> {
    const accessToken = request.psk ?? randomBytes(15).toString('base64url');
    this.redactor.add(accessToken);
    const response = await this.http.send({
      operation: 'register',
      method: 'POST',
      path: '/api/device',
      query: { accessToken },
      json: { name: request.nodeId, type: this.context.config.deviceType ?? 'default', label: request.name },
    });
    const device = response.data as { id: { id: string } };
    return { deviceId: device.id.id, nodeId: request.nodeId, credentials: { kind: 'psk', psk: accessToken, encoding: 'utf8' } };
  }

  protected override async doLookup(request: LookupRequest): Promise<DeviceRef> {
    const response = await this.http.send({ operation: 'lookup', method: 'GET', path: '/api/tenant/devices', query: { deviceName: request.nodeId } });
    return { deviceId: (response.data as { id: { id: string } }).id.id };
  }

  protected override async doStatus(ref: DeviceRef): Promise<DeviceStatus> {
    await this.http.send({ operation: 'status', method: 'GET', path: `/api/device/${encodeURIComponent(ref.deviceId)}` });
    const attributes = await this.http.send({
      operation: 'status',
      method: 'GET',
      path: `/api/plugins/telemetry/DEVICE/${encodeURIComponent(ref.deviceId)}/values/attributes/SERVER_SCOPE`,
      query: { keys: 'active,lastConnectTime' },
    });
    const values = Object.fromEntries(((attributes.data ?? []) as Array<{ key: string; value: unknown }>).map((a) => [a.key, a.value]));
    return {
      deviceId: ref.deviceId,
      activated: Number(values.lastConnectTime ?? 0) > 0,
      connectivity: values.active === true ? 'online' : 'offline',
      raw: values,
    };
  }

  protected override async doRekey(ref: DeviceRef, request: RekeyRequest): Promise<Registration> {
    const path = `/api/device/${encodeURIComponent(ref.deviceId)}/credentials`;
    const current = (await this.http.send({ operation: 'rekey', method: 'GET', path })).data as Record<string, unknown>;
    const accessToken = request.psk ?? randomBytes(15).toString('base64url');
    this.redactor.add(accessToken);
    await this.http.send({
      operation: 'rekey',
      method: 'POST',
      path: '/api/device/credentials',
      json: { ...current, credentialsType: 'ACCESS_TOKEN', credentialsId: accessToken },
      idempotent: true,
    });
    const device = (await this.http.send({ operation: 'rekey', method: 'GET', path: `/api/device/${encodeURIComponent(ref.deviceId)}` })).data as { name: string };
    return { deviceId: ref.deviceId, nodeId: device.name, credentials: { kind: 'psk', psk: accessToken, encoding: 'utf8' } };
  }

  protected override async doDecryptCredentials(credentials: SealedCredentials | DeviceCredentials): Promise<DeviceCredentials> {
    if (credentials.kind === 'sealed') {
      throw new ProvisioningError({ code: 'INVALID_INPUT', message: 'ThingsBoard never seals credentials', field: 'credentials.kind', rule: 'scheme', retryable: false });
    }
    return credentials;
  }

  protected override async doUnregister(ref: DeviceRef): Promise<void> {
    await this.http.send({ operation: 'unregister', method: 'DELETE', path: `/api/device/${encodeURIComponent(ref.deviceId)}` });
  }

  override async close(): Promise<void> {
    this.http.close();
  }
}
