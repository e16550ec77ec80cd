import {
  BaseProvider,
  createHttpClient,
  effectiveRateLimit,
  invalidInput,
  ProvisioningError,
  sendCommand,
  type DeviceCredentials,
  type DeviceRef,
  type DeviceStatus,
  type HttpClient,
  type InstanceContext,
  type LookupRequest,
  type Operation,
  type ProviderCapabilities,
  type RegisterRequest,
  type Registration,
  type RekeyRequest,
  type SealedCredentials,
  flowControlOf,
  type TokenManager,
} from '@provisio/core';
import { huaweiAuth } from './auth.js';
import {
  deleteDevice,
  queryActivation,
  queryDevice,
  queryDevices,
  refreshDeviceKey,
  registerDevice,
  registerDeviceWithPassword,
} from './commands.js';
import { DEFAULT_RATE_LIMIT, DEFAULT_VALIDITY_SECONDS, type HuaweiConfig } from './config.js';
import { interpretHuaweiResponse } from './errors.js';
import { huaweiDeviceRefSchema, huaweiRegisterSchema, huaweiRekeySchema, MODEL_FIELDS } from './schemas.js';

export const HUAWEI_CAPABILITIES: ProviderCapabilities = {
  operations: { register: true, lookup: true, status: true, rekey: true, decryptCredentials: true, unregister: true },
  credentialKinds: ['verification-code'],
  sealedCredentials: false,
  rekeyRequiresOffline: true,
  connectivity: true,
  // Seed 002: 100610 "Device is not active" for a device that has never connected.
  rekeyScope: 'activated',
};

/** Password mode: the device gets a secret (a PSK-like credential); the API has no secret refresh. */
export const HUAWEI_PASSWORD_MODE_CAPABILITIES: ProviderCapabilities = {
  ...HUAWEI_CAPABILITIES,
  operations: { ...HUAWEI_CAPABILITIES.operations, rekey: false },
  credentialKinds: ['psk'],
};

/** The batch device query's largest page. */
const PAGE_SIZE = 250;

/** Huawei OceanConnect northbound API, verification-code mode (seeds 000-003). */
export class HuaweiProvider extends BaseProvider {
  readonly id = 'huawei';
  readonly capabilities: ProviderCapabilities;
  readonly http: HttpClient;
  readonly tokens: TokenManager;
  private readonly config: HuaweiConfig;

  constructor(context: InstanceContext<HuaweiConfig>) {
    super({
      redactor: context.redactor,
      schemas: { register: huaweiRegisterSchema, rekey: huaweiRekeySchema, deviceRef: huaweiDeviceRefSchema },
    });
    this.config = context.config;
    const rateLimit = effectiveRateLimit(context.config, DEFAULT_RATE_LIMIT);
    this.capabilities = {
      ...(context.config.registerMode === 'password' ? HUAWEI_PASSWORD_MODE_CAPABILITIES : HUAWEI_CAPABILITIES),
      ...flowControlOf(rateLimit),
    };
    this.redactor.addAll([context.config.secret]);
    // Flow control and the token are per app (only the newest token is valid): shared by every
    // instance, in any process, that uses this app (see Coordination).
    const app = `huawei:${context.config.baseUrl}#${context.config.appId}`;
    this.http = createHttpClient({
      provider: this.id,
      baseURL: context.config.baseUrl,
      config: context.config,
      defaultRateLimit: DEFAULT_RATE_LIMIT,
      coordination: context.coordination,
      app,
      interpret: interpretHuaweiResponse,
      redactor: this.redactor,
      logger: context.logger,
    });
    const auth = huaweiAuth(this.http, context.config, {
      refreshAheadMs: (context.config.refreshAheadSeconds ?? 300) * 1000,
      store: context.coordination?.tokenStore(app, { sealWith: context.config.secret }),
      // A token another process obtained is as secret as our own.
      onToken: (token) => this.redactor.addAll([token.value, token.refreshToken]),
    });
    this.tokens = auth.tokens;
    this.http.setAuth(auth);
  }

  private get appId(): string {
    return this.config.appId;
  }

  private validity(request: { validitySeconds?: number }): number {
    return request.validitySeconds ?? this.config.defaultValiditySeconds ?? DEFAULT_VALIDITY_SECONDS;
  }

  protected override async doRegister(request: RegisterRequest): Promise<Registration> {
    const vendor = (request.vendor ?? {}) as { imsi?: string; endUserId?: string; isSecure?: boolean; deviceInfo?: Record<string, string> };
    const hasModel = vendor.deviceInfo !== undefined && MODEL_FIELDS.some((f) => vendor.deviceInfo?.[f] !== undefined);
    if (request.productId && hasModel) {
      throw this.invalid('register', 'request.productId', 'oneOf', 'Give either productId or the deviceInfo model fields (manufacturerId, manufacturerName, deviceType, model, protocolType), not both');
    }
    const deviceInfo = { ...vendor.deviceInfo, ...(request.name !== undefined ? { name: request.name } : {}) };
    if (this.config.registerMode === 'password') {
      if (request.verifyCode !== undefined) {
        throw this.invalid('register', 'request.verifyCode', 'registerMode', 'Password-mode registration has no verification code; give psk (the device secret) or nothing');
      }
      const input = { appId: this.appId, nodeId: request.nodeId, deviceInfo, productId: request.productId, secret: request.psk };
      return sendCommand(this.http, registerDeviceWithPassword, input, 'register');
    }
    const body = {
      nodeId: request.nodeId,
      verifyCode: request.verifyCode,
      timeout: this.validity(request),
      psk: request.psk,
      isSecure: vendor.isSecure,
      imsi: vendor.imsi,
      endUserId: vendor.endUserId,
      productId: request.productId,
      deviceInfo: Object.keys(deviceInfo).length > 0 ? deviceInfo : undefined,
    };
    return sendCommand(this.http, registerDevice, { appId: this.appId, body }, 'register');
  }

  protected override unsupportedReason(operation: Operation): string {
    if (operation === 'rekey' && this.config.registerMode === 'password') {
      return 'huawei password-mode devices have no secret-refresh API; delete and register the device again, or use registerMode "verification-code"';
    }
    return super.unsupportedReason(operation);
  }

  protected override async doLookup(request: LookupRequest): Promise<DeviceRef> {
    // The batch device query has no nodeId filter: page through the app's devices.
    for (let pageNo = 0; ; pageNo++) {
      const page = await sendCommand(this.http, queryDevices, { appId: this.appId, pageNo, pageSize: PAGE_SIZE }, 'lookup');
      const found = page.devices.find((d) => d.deviceInfo?.nodeId === request.nodeId);
      if (found?.deviceId) return { deviceId: found.deviceId };
      if (!page.devices.length || (pageNo + 1) * PAGE_SIZE >= page.totalCount) break;
    }
    throw new ProvisioningError({
      code: 'NOT_FOUND',
      message: `No device with nodeId ${request.nodeId} in app ${this.appId}`,
      provider: this.id,
      operation: 'lookup',
      retryable: false,
    });
  }

  protected override async doStatus(ref: DeviceRef): Promise<DeviceStatus> {
    // Activation (seed 001) and connectivity (device query) are two calls; both are reads.
    const input = { appId: this.appId, deviceId: ref.deviceId };
    const [activation, device] = await Promise.all([
      sendCommand(this.http, queryActivation, input, 'status'),
      sendCommand(this.http, queryDevice, input, 'status'),
    ]);
    return { deviceId: ref.deviceId, activated: activation.activated, connectivity: device.connectivity, raw: { activation: activation.raw, device: device.raw } };
  }

  protected override async doRekey(ref: DeviceRef, request: RekeyRequest): Promise<Registration> {
    if (request.psk !== undefined) {
      throw this.invalid('rekey', 'request.psk', 'unsupported', 'OceanConnect cannot set a PSK when refreshing a device key; give nodeId and/or verifyCode');
    }
    // The answer carries no nodeId; when the caller keeps the old one we read it first.
    const nodeId = request.nodeId ?? (await sendCommand(this.http, queryDevice, { appId: this.appId, deviceId: ref.deviceId }, 'rekey')).nodeId;
    const input = { appId: this.appId, deviceId: ref.deviceId, nodeId: request.nodeId, verifyCode: request.verifyCode, timeout: this.validity(request) };
    const answer = await sendCommand(this.http, refreshDeviceKey, input, 'rekey');
    return {
      deviceId: ref.deviceId,
      nodeId,
      credentials: { kind: 'verification-code', verifyCode: answer.verifyCode, validitySeconds: answer.timeout },
      raw: answer.raw,
    };
  }

  protected override async doDecryptCredentials(credentials: SealedCredentials | DeviceCredentials): Promise<DeviceCredentials> {
    if (credentials.kind === 'sealed') {
      throw this.invalid('decryptCredentials', 'credentials.kind', 'scheme', `OceanConnect issues credentials in plain text; it cannot open a payload sealed by "${credentials.scheme}"`);
    }
    // Plain already: returned as they are, checked against the contract by the base class.
    return credentials;
  }

  protected override async doUnregister(ref: DeviceRef): Promise<void> {
    await sendCommand(this.http, deleteDevice, { appId: this.appId, deviceId: ref.deviceId, cascade: this.config.deleteCascade ?? true }, 'unregister');
  }

  override async close(): Promise<void> {
    this.http.close();
  }

  private invalid(operation: Operation, field: string, rule: string, message: string): ProvisioningError {
    return invalidInput({ provider: this.id, operation, field, rule, message });
  }
}
