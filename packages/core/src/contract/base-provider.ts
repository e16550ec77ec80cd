import type { ProviderCapabilities, Operation } from './capabilities.js';
import type { DeviceCredentials, SealedCredentials } from './credentials.js';
import type { DeviceRef, DeviceStatus, LookupRequest, RegisterRequest, Registration, RekeyRequest } from './device.js';
import type { ProvisioningProvider } from './provider.js';
import { isProvisioningError, ProvisioningError } from '../errors/provisioning-error.js';
import { Redactor } from '../errors/redactor.js';
import { assertValid, type JsonSchema } from '../validation/validator.js';
import {
  credentialsSchema,
  deviceRefSchema,
  lookupRequestSchema,
  registerRequestSchema,
  rekeyRequestSchema,
} from '../validation/schemas.js';

/** Provider-specific schemas that narrow the core ones (lengths, patterns, `vendor` extras). */
export interface ProviderSchemas {
  register?: JsonSchema;
  rekey?: JsonSchema;
  deviceRef?: JsonSchema;
}

/**
 * Base class for drivers (Libcloud-style): the public methods check the capability, validate
 * against the core schema and the provider's own before any I/O, and turn every failure into a
 * redacted `ProvisioningError` carrying provider and operation. Drivers implement the `do*`
 * methods for what they claim; the rest answer UNSUPPORTED.
 */
export abstract class BaseProvider implements ProvisioningProvider {
  abstract readonly id: string;
  abstract readonly capabilities: ProviderCapabilities;
  protected readonly redactor: Redactor;

  /**
   * What console.log / util.inspect show: the id and the manifest, never the configuration,
   * tokens or clients (they hold the app secret, passphrases and keys).
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `${this.constructor.name} { id: '${this.id}', operations: [${Object.entries(this.capabilities.operations).filter(([, on]) => on).map(([op]) => op).join(', ')}] }`;
  }
  protected readonly schemas: ProviderSchemas;

  constructor(options: { redactor?: Redactor; schemas?: ProviderSchemas } = {}) {
    this.redactor = options.redactor ?? new Redactor();
    this.schemas = options.schemas ?? {};
  }

  register(request: RegisterRequest): Promise<Registration> {
    return this.run('register', () => {
      this.checkRegister(request);
      this.rememberCallerSecrets(request);
      return this.doRegister(request);
    });
  }

  checkRegister(request: RegisterRequest): void {
    this.validate('register', registerRequestSchema, request, 'request');
    if (this.schemas.register) this.validate('register', this.schemas.register, request, 'request');
  }

  lookup(request: LookupRequest): Promise<DeviceRef> {
    return this.run('lookup', () => {
      this.validate('lookup', lookupRequestSchema, request, 'request');
      // The provider's register schema knows what a valid node id looks like on its cloud.
      if (this.schemas.register) this.validate('lookup', this.schemas.register, request, 'request');
      return this.doLookup(request);
    });
  }

  status(ref: DeviceRef): Promise<DeviceStatus> {
    return this.run('status', () => {
      this.validateRef('status', ref);
      return this.doStatus(ref);
    });
  }

  rekey(ref: DeviceRef, request: RekeyRequest): Promise<Registration> {
    return this.run('rekey', () => {
      this.validateRef('rekey', ref);
      this.validate('rekey', rekeyRequestSchema, request, 'request');
      if (this.schemas.rekey) this.validate('rekey', this.schemas.rekey, request, 'request');
      this.rememberCallerSecrets(request);
      return this.doRekey(ref, request);
    });
  }

  decryptCredentials(credentials: SealedCredentials | DeviceCredentials): Promise<DeviceCredentials> {
    return this.run('decryptCredentials', () => {
      this.validate('decryptCredentials', credentialsSchema, credentials, 'credentials');
      return this.doDecryptCredentials(credentials);
    });
  }

  unregister(ref: DeviceRef): Promise<void> {
    return this.run('unregister', () => {
      this.validateRef('unregister', ref);
      return this.doUnregister(ref);
    });
  }

  async close(): Promise<void> {
    /* nothing by default */
  }

  protected doRegister(_request: RegisterRequest): Promise<Registration> {
    throw this.unsupported('register');
  }
  protected doLookup(_request: LookupRequest): Promise<DeviceRef> {
    throw this.unsupported('lookup');
  }
  protected doStatus(_ref: DeviceRef): Promise<DeviceStatus> {
    throw this.unsupported('status');
  }
  protected doRekey(_ref: DeviceRef, _request: RekeyRequest): Promise<Registration> {
    throw this.unsupported('rekey');
  }
  protected doDecryptCredentials(_credentials: SealedCredentials | DeviceCredentials): Promise<DeviceCredentials> {
    throw this.unsupported('decryptCredentials');
  }
  protected doUnregister(_ref: DeviceRef): Promise<void> {
    throw this.unsupported('unregister');
  }

  /** Why an operation is not available; drivers override to say what to configure. */
  protected unsupportedReason(operation: Operation): string {
    return `${this.id} does not support ${operation}`;
  }

  protected unsupported(operation: Operation): ProvisioningError {
    return new ProvisioningError({
      code: 'UNSUPPORTED',
      message: this.unsupportedReason(operation),
      provider: this.id,
      operation,
      retryable: false,
    });
  }

  protected validate<T>(operation: Operation, schema: JsonSchema, value: unknown, subject: string): T {
    return assertValid<T>(schema, value, { provider: this.id, operation, subject });
  }

  /**
   * A PSK or verify code the caller chose is a secret like one the cloud issues: known to the
   * redactor before the request leaves, so a cloud that echoes it in an error or a log line
   * does not carry it into a message, a stack, JSON, a CLI table or a journal (issue 13.7).
   */
  private rememberCallerSecrets(request: { psk?: unknown; verifyCode?: unknown }): void {
    if (typeof request.psk === 'string') this.redactor.add(request.psk);
    if (typeof request.verifyCode === 'string') this.redactor.add(request.verifyCode);
  }

  private validateRef(operation: Operation, ref: DeviceRef): void {
    this.validate(operation, deviceRefSchema, ref, 'device');
    if (this.schemas.deviceRef) this.validate(operation, this.schemas.deviceRef, ref, 'device');
  }

  private async run<T>(operation: Operation, body: () => Promise<T>): Promise<T> {
    if (!this.capabilities.operations[operation]) throw this.unsupported(operation);
    try {
      return await body();
    } catch (error) {
      throw this.normalise(error, operation);
    }
  }

  /** Any failure becomes a redacted ProvisioningError with this provider's context. */
  protected normalise(error: unknown, operation: Operation): ProvisioningError {
    if (isProvisioningError(error)) {
      const base = error as ProvisioningError;
      // An inner step (a login, a signature refresh) failed: the caller asked for `operation`,
      // so that is what the error names; the step is kept in the details.
      const step = base.operation && base.operation !== operation ? { step: base.operation } : {};
      // Re-redact with this instance's secrets: an error made deeper may not have known them.
      return new ProvisioningError({
        ...base.toOptions(),
        provider: base.provider ?? this.id,
        operation,
        details: Object.keys(step).length ? { ...base.details, ...step } : base.details,
        redactor: this.redactor,
        cause: base,
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new ProvisioningError({
      code: 'INTERNAL',
      message: `${this.id} ${operation} failed unexpectedly: ${message}`,
      provider: this.id,
      operation,
      retryable: false,
      redactor: this.redactor,
      cause: error,
    });
  }
}
