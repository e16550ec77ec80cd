import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import {
  BaseProvider,
  HttpClient,
  INSTANCE_CONTEXT,
  ProvisioningError,
  TokenManager,
  type Connectivity,
  type DeviceCredentials,
  type DeviceRef,
  type DeviceStatus,
  type InstanceContext,
  type LookupRequest,
  type Operation,
  type ProviderCapabilities,
  type RegisterRequest,
  type Registration,
  type RekeyRequest,
  type SealedCredentials,
  flowControlOf,
} from '@provisio/core';
import { HuaweiAuthStep, HuaweiTokenSource } from './auth.js';
import { DEFAULT_RATE_LIMIT, DEFAULT_VALIDITY_SECONDS, type HuaweiConfig } from './config.js';
import { interpretHuaweiResponse } from './errors.js';
import { PATHS } from './paths.js';
import { huaweiDeviceRefSchema, huaweiRegisterSchema, huaweiRekeySchema, MODEL_FIELDS } from './schemas.js';

interface RegisterAnswer {
  deviceId: string;
  verifyCode: string;
  psk?: string;
  timeout?: number;
}

interface DeviceInfoAnswer {
  deviceId?: string;
  deviceInfo?: { nodeId?: string; status?: string; name?: string };
}

const CONNECTIVITY: Record<string, Connectivity> = {
  ONLINE: 'online',
  OFFLINE: 'offline',
  ABNORMAL: 'abnormal',
  INACTIVE: 'offline', // registered, never connected
};

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

/** Huawei OceanConnect northbound API, verification-code mode (seeds 000-003). */
@injectable()
export class HuaweiProvider extends BaseProvider {
  readonly id = 'huawei';
  readonly capabilities: ProviderCapabilities;
  readonly http: HttpClient;
  readonly tokens: TokenManager;
  private readonly config: HuaweiConfig;

  constructor(@inject(INSTANCE_CONTEXT) context: InstanceContext<HuaweiConfig>) {
    super({
      redactor: context.redactor,
      schemas: { register: huaweiRegisterSchema, rekey: huaweiRekeySchema, deviceRef: huaweiDeviceRefSchema },
    });
    this.config = context.config;
    const rateLimit = context.config.rateLimit === undefined ? DEFAULT_RATE_LIMIT : context.config.rateLimit;
    this.capabilities = {
      ...(context.config.registerMode === 'password' ? HUAWEI_PASSWORD_MODE_CAPABILITIES : HUAWEI_CAPABILITIES),
      ...flowControlOf(rateLimit),
    };
    this.redactor.addAll([context.config.secret]);
    this.http = new HttpClient({
      provider: this.id,
      baseURL: context.config.baseUrl,
      tls: context.config.tls,
      rateLimit,
      timeoutMs: context.config.timeoutMs,
      retry: context.config.retry,
      interpret: interpretHuaweiResponse,
      redactor: this.redactor,
      logger: context.logger,
    });
    const source = new HuaweiTokenSource(this.http, context.config, this.redactor);
    this.tokens = new TokenManager(source, { refreshAheadMs: (context.config.refreshAheadSeconds ?? 300) * 1000 });
    this.http.setAuth(new HuaweiAuthStep(context.config.appId, this.tokens));
  }

  protected override async doRegister(request: RegisterRequest): Promise<Registration> {
    const vendor = (request.vendor ?? {}) as {
      imsi?: string;
      endUserId?: string;
      isSecure?: boolean;
      deviceInfo?: Record<string, string>;
    };
    const hasModel = vendor.deviceInfo !== undefined && MODEL_FIELDS.some((f) => vendor.deviceInfo?.[f] !== undefined);
    if (request.productId && hasModel) {
      throw new ProvisioningError({
        code: 'INVALID_INPUT',
        message: 'Give either productId or the deviceInfo model fields (manufacturerId, manufacturerName, deviceType, model, protocolType), not both',
        provider: this.id,
        operation: 'register',
        field: 'request.productId',
        rule: 'oneOf',
        retryable: false,
      });
    }
    const deviceInfo = { ...vendor.deviceInfo, ...(request.name !== undefined ? { name: request.name } : {}) };
    if (this.config.registerMode === 'password') return this.registerWithPassword(request, deviceInfo);
    const body = {
      nodeId: request.nodeId,
      verifyCode: request.verifyCode,
      timeout: request.validitySeconds ?? this.config.defaultValiditySeconds ?? DEFAULT_VALIDITY_SECONDS,
      psk: request.psk,
      isSecure: vendor.isSecure,
      imsi: vendor.imsi,
      endUserId: vendor.endUserId,
      productId: request.productId,
      deviceInfo: Object.keys(deviceInfo).length > 0 ? deviceInfo : undefined,
    };
    const response = await this.http.send({
      operation: 'register',
      method: 'POST',
      path: PATHS.deviceCredentials,
      query: { appId: this.config.appId },
      json: body,
    });
    const answer = this.expectAnswer<RegisterAnswer>(response.data, ['deviceId', 'verifyCode'], 'register');
    this.redactor.add(answer.psk);
    return {
      deviceId: answer.deviceId,
      nodeId: request.nodeId,
      credentials: {
        kind: 'verification-code',
        verifyCode: answer.verifyCode,
        psk: answer.psk,
        validitySeconds: answer.timeout ?? body.timeout,
      },
      raw: answer as unknown as Record<string, unknown>,
    };
  }

  /** Password mode (v2.0.0): `deviceInfo{nodeId,...}`, `productId`, optional `secret`. */
  private async registerWithPassword(request: RegisterRequest, deviceInfo: Record<string, string>): Promise<Registration> {
    if (request.verifyCode !== undefined) {
      throw new ProvisioningError({
        code: 'INVALID_INPUT',
        message: 'Password-mode registration has no verification code; give psk (the device secret) or nothing',
        provider: this.id,
        operation: 'register',
        field: 'request.verifyCode',
        rule: 'registerMode',
        retryable: false,
      });
    }
    const response = await this.http.send({
      operation: 'register',
      method: 'POST',
      path: PATHS.deviceCredentialsV2,
      query: { appId: this.config.appId },
      json: { deviceInfo: { ...deviceInfo, nodeId: request.nodeId }, productId: request.productId, secret: request.psk },
    });
    const answer = this.expectAnswer<{ deviceId: string; secret: string }>(response.data, ['deviceId', 'secret'], 'register');
    this.redactor.add(answer.secret);
    return {
      deviceId: answer.deviceId,
      nodeId: request.nodeId,
      credentials: { kind: 'psk', psk: answer.secret, encoding: 'utf8' },
      raw: { deviceId: answer.deviceId },
    };
  }

  protected override unsupportedReason(operation: Operation): string {
    if (operation === 'rekey' && this.config.registerMode === 'password') {
      return 'huawei password-mode devices have no secret-refresh API; delete and register the device again, or use registerMode "verification-code"';
    }
    return super.unsupportedReason(operation);
  }

  protected override async doLookup(request: LookupRequest): Promise<DeviceRef> {
    // The batch device query has no nodeId filter: page through the app's devices.
    const pageSize = 250;
    for (let pageNo = 0; ; pageNo++) {
      const response = await this.http.send({
        operation: 'lookup',
        method: 'GET',
        path: PATHS.devices,
        query: { appId: this.config.appId, pageNo, pageSize },
      });
      const page = (response.data ?? {}) as { totalCount?: number; devices?: DeviceInfoAnswer[] };
      const found = page.devices?.find((d) => d.deviceInfo?.nodeId === request.nodeId);
      if (found?.deviceId) return { deviceId: found.deviceId };
      if (!page.devices?.length || (pageNo + 1) * pageSize >= Number(page.totalCount ?? 0)) break;
    }
    throw new ProvisioningError({
      code: 'NOT_FOUND',
      message: `No device with nodeId ${request.nodeId} in app ${this.config.appId}`,
      provider: this.id,
      operation: 'lookup',
      retryable: false,
    });
  }

  protected override async doStatus(ref: DeviceRef): Promise<DeviceStatus> {
    // Activation (seed 001) and connectivity (device query) are two calls; both are reads.
    const [activation, device] = await Promise.all([
      this.http.send({
        operation: 'status',
        method: 'GET',
        path: `${PATHS.deviceCredentials}/${encodeURIComponent(ref.deviceId)}`,
        query: { appId: this.config.appId },
      }),
      this.http.send({
        operation: 'status',
        method: 'GET',
        path: `${PATHS.devices}/${encodeURIComponent(ref.deviceId)}`,
        query: { appId: this.config.appId },
      }),
    ]);
    const activated = (activation.data as { activated?: unknown } | undefined)?.activated;
    const info = (device.data ?? {}) as DeviceInfoAnswer;
    const vendorStatus = info.deviceInfo?.status ?? '';
    return {
      deviceId: ref.deviceId,
      activated: activated === true || activated === 'true',
      connectivity: CONNECTIVITY[vendorStatus] ?? 'unknown',
      raw: { activation: activation.data, device: device.data },
    };
  }

  protected override async doRekey(ref: DeviceRef, request: RekeyRequest): Promise<Registration> {
    if (request.psk !== undefined) {
      throw new ProvisioningError({
        code: 'INVALID_INPUT',
        message: 'OceanConnect cannot set a PSK when refreshing a device key; give nodeId and/or verifyCode',
        provider: this.id,
        operation: 'rekey',
        field: 'request.psk',
        rule: 'unsupported',
        retryable: false,
      });
    }
    // The answer carries no nodeId; when the caller keeps the old one we read it first.
    const nodeId = request.nodeId ?? (await this.currentNodeId(ref));
    const response = await this.http.send({
      operation: 'rekey',
      method: 'PUT',
      path: `${PATHS.deviceCredentials}/${encodeURIComponent(ref.deviceId)}`,
      query: { appId: this.config.appId },
      json: {
        nodeId: request.nodeId,
        verifyCode: request.verifyCode,
        timeout: request.validitySeconds ?? this.config.defaultValiditySeconds ?? DEFAULT_VALIDITY_SECONDS,
      },
    });
    const answer = this.expectAnswer<{ verifyCode: string; timeout?: number }>(response.data, ['verifyCode'], 'rekey');
    return {
      deviceId: ref.deviceId,
      nodeId,
      credentials: { kind: 'verification-code', verifyCode: answer.verifyCode, validitySeconds: answer.timeout },
      raw: answer as unknown as Record<string, unknown>,
    };
  }

  protected override async doDecryptCredentials(credentials: SealedCredentials | DeviceCredentials): Promise<DeviceCredentials> {
    if (credentials.kind === 'sealed') {
      throw new ProvisioningError({
        code: 'INVALID_INPUT',
        message: `OceanConnect issues credentials in plain text; it cannot open a payload sealed by "${credentials.scheme}"`,
        provider: this.id,
        operation: 'decryptCredentials',
        field: 'credentials.kind',
        rule: 'scheme',
        retryable: false,
      });
    }
    // Plain already: returned as they are, checked against the contract by the base class.
    return credentials;
  }

  protected override async doUnregister(ref: DeviceRef): Promise<void> {
    await this.http.send({
      operation: 'unregister',
      method: 'DELETE',
      path: `${PATHS.devices}/${encodeURIComponent(ref.deviceId)}`,
      query: { appId: this.config.appId, cascade: this.config.deleteCascade ?? true },
      // A repeat after a lost answer that finds nothing means the first one deleted it.
      doneOnRepeatIf: ['NOT_FOUND'],
    });
  }

  override async close(): Promise<void> {
    this.http.close();
  }

  private async currentNodeId(ref: DeviceRef): Promise<string> {
    const device = await this.http.send({
      operation: 'rekey',
      method: 'GET',
      path: `${PATHS.devices}/${encodeURIComponent(ref.deviceId)}`,
      query: { appId: this.config.appId },
    });
    return (device.data as DeviceInfoAnswer | undefined)?.deviceInfo?.nodeId ?? '';
  }

  private expectAnswer<T>(data: unknown, fields: string[], operation: 'register' | 'rekey'): T {
    const record = data as Record<string, unknown> | undefined;
    const missing = fields.filter((f) => typeof record?.[f] !== 'string');
    if (!record || missing.length > 0) {
      throw new ProvisioningError({
        code: 'INTERNAL',
        message: `OceanConnect ${operation} answer lacks ${missing.join(', ') || 'a body'}`,
        provider: this.id,
        operation,
        retryable: false,
      });
    }
    return record as T;
  }
}
