import { randomBytes } from 'node:crypto';
import {
  BaseProvider, BearerTokenAuth, createHttpClient, invalidInput, sendCommand, TokenManager,
  type ClientConfig, type DeviceCredentials, type DeviceRef, type DeviceStatus, type HttpClient, type InstanceContext, type LookupRequest,
  type ProviderCapabilities, type RegisterRequest, type Registration, type RekeyRequest, type SealedCredentials,
} from '@provisio/core';
import * as tb from './thingsboard-commands.js';
import { interpretThingsboard, JWT_EXPIRED } from './thingsboard-errors.js';

export interface ThingsboardConfig extends ClientConfig {
  baseUrl: string;
  username: string;
  password: string;
  deviceType?: string;
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

  constructor(private readonly context: InstanceContext<ThingsboardConfig>) {
    super({ redactor: context.redactor });
    const config = context.config;
    // One tenant user's token and budget, shared by every instance and process that uses it.
    const app = `thingsboard:${config.baseUrl}#${config.username}`;
    this.http = createHttpClient({ provider: this.id, baseURL: config.baseUrl, config, interpret: interpretThingsboard, redactor: this.redactor, logger: context.logger, coordination: context.coordination, app });
    const tokens = new TokenManager(
      {
        login: () => sendCommand(this.http, tb.login, { username: config.username, password: config.password }, 'login'),
        refresh: (current) => sendCommand(this.http, tb.refreshToken, { refreshToken: current.refreshToken ?? '' }, 'login'),
      },
      { store: context.coordination?.tokenStore(app, { sealWith: config.password }), onToken: (t) => this.redactor.addAll([t.value, t.refreshToken]) },
    );
    this.http.setAuth(new BearerTokenAuth({ tokens, header: 'X-Authorization', isTokenRejected: (error) => error.vendorCode === JWT_EXPIRED }));
  }

  /** A new device access token (the MQTT username it connects with). */
  private accessToken(chosen: string | undefined): string {
    const token = chosen ?? randomBytes(15).toString('base64url');
    this.redactor.add(token);
    return token;
  }

  protected override async doRegister(request: RegisterRequest): Promise<Registration> {
    const accessToken = this.accessToken(request.psk);
    const input = { name: request.nodeId, type: this.context.config.deviceType ?? 'default', label: request.name, accessToken };
    const deviceId = await sendCommand(this.http, tb.createDevice, input, 'register');
    return { deviceId, nodeId: request.nodeId, credentials: { kind: 'psk', psk: accessToken, encoding: 'utf8' } };
  }

  protected override async doLookup(request: LookupRequest): Promise<DeviceRef> {
    return { deviceId: await sendCommand(this.http, tb.findDeviceByName, { name: request.nodeId }, 'lookup') };
  }

  protected override async doStatus(ref: DeviceRef): Promise<DeviceStatus> {
    await sendCommand(this.http, tb.getDevice, { id: ref.deviceId }, 'status'); // NOT_FOUND for a deleted device
    return { deviceId: ref.deviceId, ...(await sendCommand(this.http, tb.getActivity, { id: ref.deviceId }, 'status')) };
  }

  protected override async doRekey(ref: DeviceRef, request: RekeyRequest): Promise<Registration> {
    const current = await sendCommand(this.http, tb.getCredentials, { id: ref.deviceId }, 'rekey');
    const accessToken = this.accessToken(request.psk);
    await sendCommand(this.http, tb.saveAccessToken, { current, accessToken }, 'rekey');
    const device = await sendCommand(this.http, tb.getDevice, { id: ref.deviceId }, 'rekey');
    return { deviceId: ref.deviceId, nodeId: device.name, credentials: { kind: 'psk', psk: accessToken, encoding: 'utf8' } };
  }

  protected override async doDecryptCredentials(credentials: SealedCredentials | DeviceCredentials): Promise<DeviceCredentials> {
    if (credentials.kind === 'sealed') throw invalidInput({ message: 'ThingsBoard never seals credentials', field: 'credentials.kind', rule: 'scheme' });
    return credentials;
  }

  protected override async doUnregister(ref: DeviceRef): Promise<void> {
    await sendCommand(this.http, tb.deleteDevice, { id: ref.deviceId }, 'unregister');
  }

  override async close(): Promise<void> {
    this.http.close();
  }
}
