import { randomBytes } from 'node:crypto';
import {
  BaseProvider,
  createHttpClient,
  invalidInput,
  ProvisioningError,
  sendCommand,
  ServerClock,
  type Command,
  type Connectivity,
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
} from '@provisio/core';
import {
  createDevice,
  deleteDevice,
  deleteDeviceOnce,
  describeDevice,
  dynamicRegister,
  TENCENT_SEALED_SCHEME,
  type CloudDevice,
  type CreatedDevice,
} from './commands.js';
import { CLOUD_API_ENDPOINT, CLOUD_API_SERVICE, DEFAULT_RATE_LIMIT, DEFAULT_REGION, gatewayUrlOf, type TencentConfig } from './config.js';
import { interpretTencentResponse } from './errors.js';
import { openPayload } from './payload-cipher.js';
import { tencentDeviceRefSchema, tencentRegisterSchema, tencentRekeySchema } from './schemas.js';
import { deviceRegistrationSigner, tc3Signer } from './signing/signers.js';

export { TENCENT_SEALED_SCHEME };

/** How long a rekey waits for its delete to show, in request timeouts. */
const DELETE_CONFIRM_FACTOR = 3;

/** DescribeDevice `Status`: 0 offline, 1 online, 2 query failed, 3 not activated. */
const CONNECTIVITY: Record<number, Connectivity> = { 0: 'offline', 1: 'online', 2: 'unknown', 3: 'offline' };

/** The capability manifest follows the configuration (what keys it has). */
export function tencentCapabilities(config: TencentConfig): ProviderCapabilities {
  const device = Boolean(config.productSecret);
  const cloud = Boolean(config.cloudApi);
  const sealed = registerModeOf(config) === 'dynamic';
  return {
    operations: { register: device || cloud, lookup: cloud, status: cloud, rekey: cloud, decryptCredentials: device || cloud, unregister: cloud },
    credentialKinds: [config.authType === 'certificate' ? 'x509' : 'psk'],
    sealedCredentials: sealed,
    rekeyRequiresOffline: true,
    connectivity: cloud,
    // Dynamic registration re-issues the secret of a device that has not connected yet; only the
    // Cloud API can see that the device exists first (or CreateDevice refuses it outright).
    registerRefusesExisting: cloud ? 'always' : 'once-activated',
    // A connected device gets a new key only by delete + re-create, which needs the opt-in.
    rekeyScope: config.rekey?.recreateActivatedDevices ? 'any' : 'never-activated',
    // Every operation but the gateway's dynamic registration goes through the Cloud API limiter.
    ...flowControlOf(config.rateLimit === undefined ? DEFAULT_RATE_LIMIT : config.rateLimit),
  };
}

function registerModeOf(config: TencentConfig): 'dynamic' | 'create-device' {
  return config.registerMode ?? (config.productSecret ? 'dynamic' : 'create-device');
}

/**
 * Tencent IoT Explorer: dynamic registration on the device gateway (sealed credentials) and
 * Cloud API 3.0 for the application side (status, delete, CreateDevice, rekey).
 *
 * Rekey semantics (Tencent has no rotate-key action):
 * - never connected: registered again (dynamic registration issues a new secret and the old one
 *   stops working; without a productSecret, or when a PSK is given, delete + create);
 * - has connected: only delete + create with a new PSK, which drops its cloud-side history, so
 *   only while offline and only with `rekey.recreateActivatedDevices: true`; otherwise UNSUPPORTED.
 */
export class TencentProvider extends BaseProvider {
  readonly id = 'tencent';
  readonly capabilities: ProviderCapabilities;
  readonly clock = new ServerClock();
  private readonly config: TencentConfig;
  private readonly gateway: HttpClient | undefined;
  private readonly cloud: HttpClient | undefined;

  constructor(context: InstanceContext<TencentConfig>) {
    super({
      redactor: context.redactor,
      schemas: { register: tencentRegisterSchema, rekey: tencentRekeySchema, deviceRef: tencentDeviceRefSchema },
    });
    const config = context.config;
    if (!config.productSecret && !config.cloudApi) {
      throw invalidInput({
        message: `instances.${context.name}.config needs productSecret (dynamic registration) or cloudApi keys (application side), or both`,
        field: `instances.${context.name}.config`,
        rule: 'anyOf',
        provider: 'tencent',
      });
    }
    if (config.registerMode === 'dynamic' && !config.productSecret) {
      throw configError(context.name, 'registerMode', '"dynamic" registration needs productSecret');
    }
    if (config.registerMode === 'create-device' && !config.cloudApi) {
      throw configError(context.name, 'registerMode', '"create-device" registration needs cloudApi keys');
    }
    this.config = config;
    this.capabilities = tencentCapabilities(config);
    this.redactor.addAll([config.productSecret, config.cloudApi?.secretKey]);
    const region = config.region ?? DEFAULT_REGION;
    const common = { provider: this.id, config, interpret: interpretTencentResponse, redactor: this.redactor, logger: context.logger };
    if (config.productSecret) {
      this.gateway = createHttpClient({
        ...common,
        baseURL: config.gatewayUrl ?? gatewayUrlOf(region),
        // The gateway counts per product: every process registering into it shares the budget.
        coordination: context.coordination,
        app: `tencent-gateway:${config.productId}`,
        auth: deviceRegistrationSigner(this.clock, {
          productSecret: config.productSecret,
          method: config.signatureMethod ?? 'hmacsha256',
          signHost: config.gatewaySignHost,
        }),
      });
    }
    if (config.cloudApi) {
      this.cloud = createHttpClient({
        ...common,
        baseURL: config.cloudApi.endpoint ?? CLOUD_API_ENDPOINT,
        defaultRateLimit: DEFAULT_RATE_LIMIT,
        // Cloud API limits count per account (secret id): shared by every process using it.
        coordination: context.coordination,
        app: `tencent-cloud:${config.cloudApi.secretId}`,
        auth: tc3Signer(this.clock, {
          secretId: config.cloudApi.secretId,
          secretKey: config.cloudApi.secretKey,
          service: CLOUD_API_SERVICE,
          region: config.cloudApi.region ?? region,
        }),
      });
    }
  }

  protected override unsupportedReason(operation: Operation): string {
    if (operation === 'decryptCredentials') return 'tencent needs productSecret in its config to decrypt registration payloads';
    return `tencent ${operation} uses Cloud API 3.0: add cloudApi.secretId and cloudApi.secretKey to this instance's config`;
  }

  protected override async doRegister(request: RegisterRequest): Promise<Registration> {
    this.checkProduct(request.productId, 'register');
    if (request.verifyCode !== undefined) throw invalid('register', 'request.verifyCode', 'Tencent devices have no verification code');
    if (registerModeOf(this.config) === 'create-device') return this.createDevice(request.nodeId, request.psk, 'register');
    if (request.psk !== undefined) {
      throw invalid('register', 'request.psk', 'dynamic registration cannot choose the PSK; set registerMode "create-device" to give one');
    }
    // The gateway would silently give an existing, not yet connected device a new secret (and kill
    // the one already handed out): with Cloud API keys we look first, so register never rotates.
    if (this.cloud) await this.refuseExisting(request.nodeId);
    return this.dynamicRegister(request.nodeId, 'register');
  }

  protected override async doLookup(request: LookupRequest): Promise<DeviceRef> {
    // A Tencent device id is derived from the name; DescribeDevice proves it exists.
    const ref = { deviceId: `${this.config.productId}/${request.nodeId}` };
    await this.describe(ref, 'lookup');
    return ref;
  }

  protected override async doStatus(ref: DeviceRef): Promise<DeviceStatus> {
    const device = await this.describe(ref, 'status');
    const { DevicePsk: _psk, DeviceCert: _cert, ...raw } = device;
    const status = device.Status ?? 2;
    return {
      deviceId: ref.deviceId,
      activated: status === 3 ? false : status === 0 || status === 1 || Number(device.FirstOnlineTime ?? 0) > 0,
      connectivity: CONNECTIVITY[status] ?? 'unknown',
      raw,
    };
  }

  protected override async doRekey(ref: DeviceRef, request: RekeyRequest): Promise<Registration> {
    const { deviceName } = this.parseRef(ref, 'rekey');
    if (request.nodeId !== undefined && request.nodeId !== deviceName) {
      throw invalid('rekey', 'request.nodeId', 'a Tencent device is identified by its DeviceName, which cannot change');
    }
    if (request.verifyCode !== undefined) throw invalid('rekey', 'request.verifyCode', 'Tencent devices have no verification code');
    const device = await this.describe(ref, 'rekey');
    if (device.Status === 1) {
      throw new ProvisioningError({
        code: 'DEVICE_ONLINE',
        message: `${ref.deviceId} is online; Tencent can only give it a new key while it is offline`,
        provider: this.id,
        operation: 'rekey',
        retryable: false,
      });
    }
    const neverConnected = device.Status === 3 && !Number(device.FirstOnlineTime ?? 0);
    if (neverConnected && this.gateway && request.psk === undefined) {
      // A new dynamic registration: a new secret, the old one stops working.
      return this.dynamicRegister(deviceName, 'rekey');
    }
    if (!neverConnected && !this.config.rekey?.recreateActivatedDevices) {
      throw new ProvisioningError({
        code: 'UNSUPPORTED',
        message:
          `${ref.deviceId} has connected before, and Tencent has no rotate-key action: a new key means deleting and ` +
          're-creating the device, which drops its cloud-side history. Set rekey.recreateActivatedDevices: true in ' +
          "this instance's config to allow that (it is only done while the device is offline).",
        provider: this.id,
        operation: 'rekey',
        retryable: false,
      });
    }
    return this.recreate(ref, deviceName, request.psk);
  }

  protected override async doDecryptCredentials(credentials: SealedCredentials | DeviceCredentials): Promise<DeviceCredentials> {
    if (credentials.kind !== 'sealed') return credentials;
    if (credentials.scheme !== TENCENT_SEALED_SCHEME) {
      throw invalid('decryptCredentials', 'credentials.scheme', `expected "${TENCENT_SEALED_SCHEME}"`);
    }
    if (credentials.productId && credentials.productId !== this.config.productId) {
      throw invalid('decryptCredentials', 'credentials.productId', `this instance holds the secret of product ${this.config.productId}`);
    }
    if (!this.config.productSecret) throw this.unsupported('decryptCredentials');
    let parsed: { encryptionType?: number; psk?: string; clientCert?: string; clientKey?: string };
    try {
      parsed = JSON.parse(openPayload(credentials.payload, credentials.length, this.config.productSecret).toString('utf8')) as typeof parsed;
    } catch {
      throw decryptionFailed();
    }
    if (parsed.encryptionType === 2 && typeof parsed.psk === 'string' && parsed.psk) {
      this.redactor.add(parsed.psk);
      return { kind: 'psk', psk: parsed.psk, encoding: 'base64' };
    }
    if (parsed.encryptionType === 1 && typeof parsed.clientCert === 'string' && typeof parsed.clientKey === 'string') {
      return { kind: 'x509', certificate: parsed.clientCert, privateKey: parsed.clientKey };
    }
    throw decryptionFailed();
  }

  protected override async doUnregister(ref: DeviceRef): Promise<void> {
    const { productId, deviceName } = this.parseRef(ref, 'unregister');
    // A repeat after a lost answer that finds nothing means the first one deleted it.
    await this.callCloud('unregister', deleteDevice, { ProductId: productId, DeviceName: deviceName });
  }

  override async close(): Promise<void> {
    this.gateway?.close();
    this.cloud?.close();
  }

  // ---- steps ---------------------------------------------------------------------------

  private async dynamicRegister(deviceName: string, operation: Operation): Promise<Registration> {
    const { productId } = this.config;
    const sealed = await sendCommand(this.gateway as HttpClient, dynamicRegister, { ProductId: productId, DeviceName: deviceName }, operation);
    return {
      deviceId: `${productId}/${deviceName}`,
      nodeId: deviceName,
      credentials: { kind: 'sealed', scheme: TENCENT_SEALED_SCHEME, payload: sealed.payload, length: sealed.length, productId },
      raw: sealed.raw,
    };
  }

  private async createDevice(deviceName: string, psk: string | undefined, operation: Operation): Promise<Registration> {
    const params: { ProductId: string; DeviceName: string; DefinedPsk?: string } = { ProductId: this.config.productId, DeviceName: deviceName };
    if (psk !== undefined) params.DefinedPsk = psk;
    else if (this.config.authType !== 'certificate') params.DefinedPsk = randomBytes(16).toString('base64');
    const created = await this.callCloud(operation, createDevice, params);
    return {
      deviceId: `${this.config.productId}/${deviceName}`,
      nodeId: deviceName,
      credentials: this.plainCredentials(created, params.DefinedPsk, operation),
      raw: { DeviceName: created.DeviceName },
    };
  }

  /**
   * Delete then create again; a failure in between says exactly where the device stands.
   * The delete goes out once and is confirmed gone before the create: a delete re-sent (or
   * merely slow) after a lost answer could otherwise land after the create and remove the new device.
   */
  private async recreate(ref: DeviceRef, deviceName: string, psk: string | undefined): Promise<Registration> {
    const { productId } = this.parseRef(ref, 'rekey');
    await this.deleteConfirmed(ref, productId, deviceName);
    try {
      return await this.createDevice(deviceName, psk, 'rekey');
    } catch (error) {
      const cause = error as ProvisioningError;
      throw new ProvisioningError({
        code: cause.code ?? 'INTERNAL',
        message:
          `Rekey of ${ref.deviceId} is half done: the device was deleted, but creating it again failed ` +
          `(${cause.vendorCode ?? cause.code}: ${cause.message}). The device does not exist now; call register ` +
          'with the same name to create it again. No new credentials were issued.',
        provider: this.id,
        operation: 'rekey',
        vendorCode: cause.vendorCode,
        httpStatus: cause.httpStatus,
        requestId: cause.requestId,
        retryable: false,
        details: { deviceState: 'deleted', failedStep: 'CreateDevice', completedSteps: ['DescribeDevice', 'DeleteDevice'] },
        cause,
      });
    }
  }

  /** DeleteDevice sent once, then DescribeDevice until the device is gone (a bounded wait). */
  private async deleteConfirmed(ref: DeviceRef, productId: string, deviceName: string): Promise<void> {
    let deleteError: ProvisioningError | undefined;
    try {
      await this.callCloud('rekey', deleteDeviceOnce, { ProductId: productId, DeviceName: deviceName });
    } catch (error) {
      deleteError = error as ProvisioningError;
      // A definite refusal (access denied, online...) changed nothing; only a lost or 5xx answer is uncertain.
      if (!deleteError.retryable) throw deleteError;
    }
    // A delete that was answered may still have to be seen by reads; an unanswered one may still land.
    const deadline = Date.now() + DELETE_CONFIRM_FACTOR * (this.config.timeoutMs ?? 10_000);
    for (let pause = 100; ; pause = Math.min(pause * 2, 2_000)) {
      try {
        await this.describe(ref, 'rekey');
      } catch (error) {
        if ((error as ProvisioningError).code === 'NOT_FOUND') return;
        throw error;
      }
      if (Date.now() + pause > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    throw new ProvisioningError({
      code: deleteError?.code ?? 'UNAVAILABLE',
      message:
        `Rekey of ${ref.deviceId} stopped before re-creating it: the device still exists after DeleteDevice ` +
        `(${deleteError ? `${deleteError.code}: ${deleteError.message}` : 'answered, but not seen by DescribeDevice'}). ` +
        'Its old credentials work unless that delete lands later; check status, then rekey again.',
      provider: this.id,
      operation: 'rekey',
      vendorCode: deleteError?.vendorCode,
      httpStatus: deleteError?.httpStatus,
      retryable: true,
      details: { deviceState: 'unknown', failedStep: 'DeleteDevice', completedSteps: ['DescribeDevice'] },
      cause: deleteError,
    });
  }

  /** ALREADY_EXISTS when the Cloud API knows a device by this name. */
  private async refuseExisting(deviceName: string): Promise<void> {
    const deviceId = `${this.config.productId}/${deviceName}`;
    let device: CloudDevice;
    try {
      device = await this.describe({ deviceId }, 'register');
    } catch (error) {
      if ((error as ProvisioningError).code === 'NOT_FOUND') return;
      throw error;
    }
    const activated = device.Status !== 3 || Number(device.FirstOnlineTime ?? 0) > 0;
    throw new ProvisioningError({
      code: 'ALREADY_EXISTS',
      message:
        `${deviceId} is already registered${activated ? '' : ' (not connected yet)'}; register never issues a second ` +
        'secret for an existing device: use rekey for new credentials, or lookup to find it',
      provider: this.id,
      operation: 'register',
      retryable: false,
      details: { activated },
    });
  }

  private plainCredentials(created: CreatedDevice, definedPsk: string | undefined, operation: Operation): DeviceCredentials {
    if (created.DeviceCert && created.DevicePrivateKey) {
      return { kind: 'x509', certificate: created.DeviceCert, privateKey: created.DevicePrivateKey };
    }
    const psk = created.DevicePsk ?? definedPsk;
    if (!psk) {
      throw new ProvisioningError({
        code: 'INTERNAL',
        message: 'Tencent CreateDevice answer has neither DevicePsk nor a certificate',
        provider: this.id,
        operation,
        retryable: false,
      });
    }
    this.redactor.add(psk);
    return { kind: 'psk', psk, encoding: 'base64' };
  }

  private async describe(ref: DeviceRef, operation: Operation): Promise<CloudDevice> {
    const { productId, deviceName } = this.parseRef(ref, operation);
    const device = await this.callCloud(operation, describeDevice, { ProductId: productId, DeviceName: deviceName });
    this.redactor.add(device.DevicePsk);
    return device;
  }

  /** One Cloud API action, when this instance has Cloud API keys. */
  private callCloud<Input, Output>(operation: Operation, command: Command<Input, Output>, input: Input): Promise<Output> {
    // Not async: the command's own promise, not one more wrapped around it on every call.
    if (!this.cloud) return Promise.reject(this.unsupported(operation));
    return sendCommand(this.cloud, command, input, operation);
  }

  private parseRef(ref: DeviceRef, operation: Operation): { productId: string; deviceName: string } {
    const [productId = '', deviceName = ''] = ref.deviceId.split('/');
    this.checkProduct(productId, operation, 'device.deviceId');
    return { productId, deviceName };
  }

  private checkProduct(productId: string | undefined, operation: Operation, field = 'request.productId'): void {
    if (productId !== undefined && productId !== this.config.productId) {
      throw invalid(operation, field, `this instance is configured for product ${this.config.productId}, not ${productId}`);
    }
  }
}

function invalid(operation: Operation, field: string, why: string): ProvisioningError {
  return invalidInput({ message: `Invalid ${field}: ${why}`, provider: 'tencent', operation, field, rule: 'tencent' });
}

function configError(instance: string, field: string, why: string): ProvisioningError {
  return invalidInput({ message: `Invalid instances.${instance}.config.${field}: ${why}`, provider: 'tencent', field: `instances.${instance}.config.${field}`, rule: 'tencent' });
}

function decryptionFailed(): ProvisioningError {
  return new ProvisioningError({
    code: 'DECRYPTION_FAILED',
    message: 'The registration payload could not be decrypted: wrong productSecret, corrupted payload or impossible length',
    provider: 'tencent',
    operation: 'decryptCredentials',
    retryable: false,
  });
}
