import { randomBytes } from 'node:crypto';
import {
  BaseProvider,
  flowControlOf,
  invalidInput,
  isProvisioningError,
  ProvisioningError,
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
  type ServerClock,
} from '@provisio/core';
import {
  attachPolicy,
  attachThingPrincipal,
  createCertificateFromCsr,
  createKeysAndCertificate,
  createThing,
  deleteCertificate,
  deleteThing,
  describeThing,
  detachThingPrincipal,
  getThingConnectivityData,
  listThingPrincipals,
  updateCertificate,
  type IssuedCertificate,
} from './commands/iot-commands.js';
import { tightestApiLimit, type AwsConfig, type CredentialMode } from './config.js';
import { AwsIotClient } from './iot-client.js';
import { awsDeviceRefSchema, awsRegisterSchema, awsRekeySchema } from './schemas.js';

/**
 * The thing attribute that makes CreateThing tell "mine, resent" from "someone else's": AWS
 * answers success to the same name with the same attributes and ResourceAlreadyExists otherwise.
 */
export const REGISTRATION_ATTRIBUTE = 'provisioRegistration';

/** How long a delete waits for a detach to propagate, in request timeouts. */
const DETACH_SETTLE_FACTOR = 3;

export const AWS_CAPABILITIES: ProviderCapabilities = {
  operations: { register: true, lookup: true, status: true, rekey: true, decryptCredentials: true, unregister: true },
  credentialKinds: ['x509'],
  sealedCredentials: false,
  // A new certificate is attached before the old one is deactivated: a connected device keeps
  // working until it switches, so AWS needs no offline window.
  rekeyRequiresOffline: false,
  connectivity: true,
  rekeyScope: 'any',
  registerRefusesExisting: 'always',
};

interface AwsVendorExtras {
  credentialMode?: CredentialMode;
  csr?: string;
}

/** A certificate ARN: arn:aws:iot:<region>:<account>:cert/<certificateId>. */
function certificateIdOf(principal: string): string | undefined {
  return /:cert\/([0-9a-f]{64})$/i.exec(principal)?.[1];
}

/** What a partial failure leaves behind, and the steps that led there. */
interface Progress {
  completed: string[];
  thingName: string;
  certificate?: IssuedCertificate;
}

/**
 * AWS IoT Core. A device is a thing (thing name = node id = device id) with an X.509 certificate
 * attached, and the configured policy attached to the certificate.
 *
 * - register: CreateThing, then CreateKeysAndCertificate (AWS makes the key pair) or
 *   CreateCertificateFromCsr (the caller's CSR: the key stays on the device), AttachThingPrincipal,
 *   AttachPolicy. A step that fails undoes the earlier ones; what cannot be undone is listed in
 *   `details`, and an issued certificate that still exists travels on `error.recovered`.
 * - status: "activated" means AWS has recorded a connection of the device: GetThingConnectivityData
 *   says connected, or carries the timestamp of a past connect/disconnect. Devices connect with
 *   the thing name as their MQTT client id (AWS's convention; connectivity is kept per client id).
 * - rekey: a new certificate is attached (thing and policy) first; only then is each old one set
 *   INACTIVE, detached and deleted. The device is never left without a working certificate.
 * - unregister: every principal is detached (certificates also deactivated and deleted), then the thing.
 */
export class AwsProvider extends BaseProvider {
  readonly id = 'aws';
  readonly capabilities: ProviderCapabilities;
  private readonly config: AwsConfig;
  private readonly client: AwsIotClient;

  constructor(context: InstanceContext<AwsConfig>) {
    super({ redactor: context.redactor, schemas: { register: awsRegisterSchema, rekey: awsRekeySchema, deviceRef: awsDeviceRefSchema } });
    this.config = context.config;
    this.capabilities = { ...AWS_CAPABILITIES, ...flowControlOf(tightestApiLimit(context.config)) };
    this.redactor.addAll([this.config.credentials.secretAccessKey, this.config.credentials.sessionToken]);
    this.client = new AwsIotClient(this.config, this.redactor, context.logger, context.coordination);
  }

  /** The SigV4 clock (server time as last learnt), for tests and diagnostics. */
  get clock(): ServerClock {
    return this.client.signer.clock;
  }

  protected override async doRegister(request: RegisterRequest): Promise<Registration> {
    this.refuseSecretsOfOtherClouds('register', request);
    if (request.productId !== undefined) {
      throw this.invalid('register', 'request.productId', 'AWS things have no product id; the policy comes from the instance config (policyName)');
    }
    const { mode, csr } = this.credentialMode('register', request.vendor as AwsVendorExtras | undefined);
    const thingName = request.nodeId;
    const progress: Progress = { completed: [], thingName };
    const token = randomBytes(8).toString('hex');
    const thing = await this.client.send(createThing, { thingName, attributes: { [REGISTRATION_ATTRIBUTE]: token } }, 'register').catch((error: unknown) => {
      if (isProvisioningError(error) && (error as ProvisioningError).code === 'ALREADY_EXISTS') {
        throw new ProvisioningError({
          ...(error as ProvisioningError).toOptions(),
          message: `${thingName} is already registered on AWS IoT; register never issues a second certificate for an existing thing: use rekey for new credentials, or lookup to find it`,
          retryable: false,
        });
      }
      throw this.partial('register', progress, 'CreateThing', error);
    });
    progress.completed.push('CreateThing');
    const certificate = await this.putCertificateInPlace('register', progress, mode, csr);
    return this.registration(thingName, certificate, { thingArn: thing.thingArn, thingId: thing.thingId });
  }

  protected override async doLookup(request: LookupRequest): Promise<DeviceRef> {
    const thing = await this.client.send(describeThing, { thingName: request.nodeId }, 'lookup');
    return { deviceId: thing.thingName };
  }

  protected override async doStatus(ref: DeviceRef): Promise<DeviceStatus> {
    const [thing, connectivity] = await Promise.all([
      this.client.send(describeThing, { thingName: ref.deviceId }, 'status'),
      this.client.send(getThingConnectivityData, { thingName: ref.deviceId }, 'status'),
    ]);
    return {
      deviceId: ref.deviceId,
      // AWS keeps no "activated" flag: a device has connected once AWS has a connection event for it.
      activated: connectivity.connected || connectivity.timestamp !== undefined,
      connectivity: connectivity.connected ? 'online' : 'offline',
      raw: { thing: thing.raw, connectivity: connectivity.raw },
    };
  }

  protected override async doRekey(ref: DeviceRef, request: RekeyRequest): Promise<Registration> {
    const thingName = ref.deviceId;
    if (request.nodeId !== undefined && request.nodeId !== thingName) {
      throw this.invalid('rekey', 'request.nodeId', 'an AWS device is its thing, whose name cannot change');
    }
    this.refuseSecretsOfOtherClouds('rekey', request);
    const { mode, csr } = this.credentialMode('rekey', request.vendor as AwsVendorExtras | undefined);
    const before = await this.principals(thingName, 'rekey');
    const progress: Progress = { completed: ['ListThingPrincipals'], thingName };
    const certificate = await this.putCertificateInPlace('rekey', progress, mode, csr, { keepThing: true });
    const registration = this.registration(thingName, certificate);
    // The new certificate works from here on: only now do the old ones go.
    for (const principal of before) {
      const certificateId = certificateIdOf(principal);
      if (!certificateId) continue;
      try {
        await this.retire(thingName, principal, certificateId, 'rekey');
      } catch (error) {
        const cause = this.normalise(error, 'rekey');
        throw new ProvisioningError({
          code: cause.code,
          message:
            `Rekey of ${thingName} is done but not tidy: the new certificate ${certificate.certificateId} is attached and active ` +
            `(its credentials are on error.recovered), but retiring the old certificate ${certificateId} failed ` +
            `(${cause.vendorCode ?? cause.code}: ${cause.message}); it may still be active. Rekey again or retire it by hand.`,
          provider: this.id,
          operation: 'rekey',
          vendorCode: cause.vendorCode,
          httpStatus: cause.httpStatus,
          requestId: cause.requestId,
          retryable: false,
          details: { newCertificateId: certificate.certificateId, oldCertificateLeft: certificateId, completedSteps: [...progress.completed] },
          recovered: registration,
          redactor: this.redactor,
          cause,
        });
      }
      progress.completed.push(`retire ${certificateId}`);
    }
    return registration;
  }

  protected override async doDecryptCredentials(credentials: SealedCredentials | DeviceCredentials): Promise<DeviceCredentials> {
    if (credentials.kind === 'sealed') {
      throw this.invalid('decryptCredentials', 'credentials.kind', 'AWS IoT never seals credentials; there is nothing to decrypt');
    }
    return credentials;
  }

  protected override async doUnregister(ref: DeviceRef): Promise<void> {
    const thingName = ref.deviceId;
    // ListThingPrincipals answers ResourceNotFound for a missing thing (DeleteThing would not).
    const principals = await this.principals(thingName, 'unregister');
    for (const principal of principals) {
      const certificateId = certificateIdOf(principal);
      if (certificateId) await this.retire(thingName, principal, certificateId, 'unregister');
      else await this.client.send(detachThingPrincipal, { thingName, principal }, 'unregister');
    }
    await this.afterDetach(() => this.client.send(deleteThing, { thingName }, 'unregister'), 'StillAttached');
  }

  override async close(): Promise<void> {
    this.client.close();
  }

  // ---- steps ---------------------------------------------------------------------------

  /** Issue a certificate, attach it to the thing, attach the policy to it; undo on failure. */
  private async putCertificateInPlace(
    operation: Operation,
    progress: Progress,
    mode: CredentialMode,
    csr: string | undefined,
    options: { keepThing?: boolean } = {},
  ): Promise<IssuedCertificate> {
    const undoThing = !options.keepThing;
    const issueStep = mode === 'csr' ? 'CreateCertificateFromCsr' : 'CreateKeysAndCertificate';
    const certificate = await (mode === 'csr'
      ? this.client.send(createCertificateFromCsr, { csr: csr as string }, operation)
      : this.client.send(createKeysAndCertificate, {}, operation)
    ).catch(async (error: unknown) => {
      throw await this.undo(operation, progress, issueStep, error, { thing: undoThing });
    });
    progress.certificate = certificate;
    progress.completed.push(issueStep);
    const principal = certificate.certificateArn;
    try {
      await this.client.send(attachThingPrincipal, { thingName: progress.thingName, principal }, operation);
      progress.completed.push('AttachThingPrincipal');
    } catch (error) {
      // The attach may have landed with its answer lost: detaching is harmless if it did not.
      throw await this.undo(operation, progress, 'AttachThingPrincipal', error, { thing: undoThing, certificate: true, detach: true });
    }
    try {
      await this.client.send(attachPolicy, { policyName: this.config.policyName, target: principal }, operation);
      progress.completed.push('AttachPolicy');
    } catch (error) {
      throw await this.undo(operation, progress, 'AttachPolicy', error, { thing: undoThing, certificate: true, detach: true });
    }
    return certificate;
  }

  /**
   * Deactivate, detach, delete: the certificate stops working first, then it goes. If the delete
   * fails, the (inactive) certificate is attached back: detached, it would be an orphan no later
   * unregister or rekey could see, since they find certificates through the thing.
   */
  private async retire(thingName: string, principal: string, certificateId: string, operation: Operation): Promise<void> {
    await this.client.send(updateCertificate, { certificateId, newStatus: 'INACTIVE' }, operation);
    await this.client.send(detachThingPrincipal, { thingName, principal }, operation);
    try {
      await this.afterDetach(() => this.client.send(deleteCertificate, { certificateId }, operation), 'DeleteConflictException');
    } catch (error) {
      const cause = this.normalise(error, operation);
      let where = `attached again to ${thingName}, so running ${operation} again retires it`;
      try {
        await this.client.send(attachThingPrincipal, { thingName, principal }, operation);
      } catch {
        where = `attached to nothing (attaching it back to ${thingName} failed too): delete it by hand`;
      }
      throw new ProvisioningError({
        ...cause.toOptions(),
        message: `${cause.message} (deleting certificate ${certificateId} failed; it is INACTIVE and ${where})`,
        details: { ...cause.details, failedStep: 'DeleteCertificate', leftOnAws: [`certificate ${certificateId} (INACTIVE)`] },
        provider: this.id,
        operation,
        redactor: this.redactor,
        cause,
      });
    }
  }

  /**
   * DetachThingPrincipal is asynchronous on AWS ("it might take several seconds for the detachment
   * to propagate"): until it has, DeleteCertificate answers DeleteConflict and DeleteThing "still
   * attached". Such an answer is waited out (backoff, bounded by 3 request timeouts); any other goes up.
   */
  private async afterDetach<T>(call: () => Promise<T>, conflict: 'DeleteConflictException' | 'StillAttached'): Promise<T> {
    const deadline = Date.now() + DETACH_SETTLE_FACTOR * (this.config.timeoutMs ?? 10_000);
    for (let pause = 100; ; pause = Math.min(pause * 2, 2_000)) {
      try {
        return await call();
      } catch (error) {
        const e = error as ProvisioningError;
        const propagating =
          conflict === 'DeleteConflictException'
            ? e.vendorCode === 'DeleteConflictException' && /attached/i.test(e.vendorMessage ?? '') && !/polic/i.test(e.vendorMessage ?? '')
            : e.vendorCode === 'InvalidRequestException' && /still attached/i.test(e.vendorMessage ?? '');
        if (!isProvisioningError(error) || !propagating || Date.now() + pause > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /** Every principal attached to the thing (all pages). */
  private async principals(thingName: string, operation: Operation): Promise<string[]> {
    const all: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(listThingPrincipals, { thingName, nextToken }, operation);
      all.push(...page.principals);
      nextToken = page.nextToken;
    } while (nextToken);
    return all;
  }

  /**
   * Undoes what a failed register/rekey created (newest first) and says exactly what is left.
   * A certificate that still exists travels on `recovered` (with its private key, if AWS made one).
   */
  private async undo(
    operation: Operation,
    progress: Progress,
    failedStep: string,
    error: unknown,
    what: { thing?: boolean; certificate?: boolean; detach?: boolean },
  ): Promise<ProvisioningError> {
    const cause = this.normalise(error, operation);
    const undone: string[] = [];
    const left: string[] = [];
    const certificate = progress.certificate;
    // A certificate call whose answer was lost may have issued one we never saw: say so (a
    // throttle proves AWS did not act).
    const unknownIssue = !certificate && !what.certificate && cause.retryable && cause.code !== 'RATE_LIMITED';
    if (certificate && what.certificate) {
      const { certificateId, certificateArn } = certificate;
      let state = what.detach ? 'ACTIVE, maybe attached to the thing' : 'ACTIVE, attached to nothing';
      try {
        if (what.detach) {
          await this.client.send(detachThingPrincipal, { thingName: progress.thingName, principal: certificateArn }, operation);
          // Said in details as in the message ("attached to nothing"): the detach is an undone step.
          undone.push(`certificate ${certificateId} detached from thing ${progress.thingName}`);
        }
        state = 'ACTIVE, attached to nothing';
        await this.client.send(updateCertificate, { certificateId, newStatus: 'INACTIVE' }, operation);
        state = 'INACTIVE, attached to nothing';
        await this.afterDetach(() => this.client.send(deleteCertificate, { certificateId }, operation), 'DeleteConflictException');
        // Deleted subsumes detached: one entry per certificate.
        if (what.detach) undone.pop();
        undone.push(`certificate ${certificateId} deleted`);
      } catch {
        left.push(`certificate ${certificateId} (${state})`);
      }
    }
    if (what.thing && left.length === 0) {
      try {
        await this.afterDetach(() => this.client.send(deleteThing, { thingName: progress.thingName }, operation), 'StillAttached');
        undone.push(`thing ${progress.thingName} deleted`);
      } catch {
        left.push(`thing ${progress.thingName}`);
      }
    } else if (what.thing) {
      left.push(`thing ${progress.thingName}`);
    }
    const stillIssued = certificate && left.some((l) => l.startsWith('certificate'));
    const parts = [
      `${operation} of ${progress.thingName} failed at ${failedStep} (${cause.vendorCode ?? cause.code}: ${cause.message}).`,
      undone.length ? `Undone: ${undone.join(', ')}.` : '',
      left.length ? `Still on AWS: ${left.join(', ')}${stillIssued ? ' (its credentials are on error.recovered)' : ''}.` : 'Nothing it created is left on AWS.',
      unknownIssue ? `${failedStep} may have issued a certificate whose answer was lost; it is attached to nothing.` : '',
    ];
    return new ProvisioningError({
      code: cause.code,
      message: parts.filter(Boolean).join(' '),
      provider: this.id,
      operation,
      vendorCode: cause.vendorCode,
      vendorMessage: cause.vendorMessage,
      httpStatus: cause.httpStatus,
      requestId: cause.requestId,
      retryable: cause.retryable && left.length === 0,
      details: { failedStep, completedSteps: [...progress.completed], undone, leftOnAws: left, certificateMayBeOrphaned: unknownIssue },
      recovered: stillIssued && certificate ? this.registration(progress.thingName, certificate) : undefined,
      redactor: this.redactor,
      cause,
    });
  }

  /** An error of a step before anything was created by this call (CreateThing itself). */
  private partial(operation: Operation, progress: Progress, failedStep: string, error: unknown): ProvisioningError {
    const cause = this.normalise(error, operation);
    // A CreateThing whose outcome is unknown (retries exhausted) may have created the thing.
    const maybe = cause.retryable;
    return new ProvisioningError({
      ...cause.toOptions(),
      message: `${cause.message}${maybe ? ` (the thing ${progress.thingName} may exist: look it up before registering again)` : ''}`,
      details: { ...cause.details, failedStep, completedSteps: [], leftOnAws: maybe ? [`thing ${progress.thingName} (maybe)`] : [] },
      redactor: this.redactor,
    });
  }

  private registration(thingName: string, certificate: IssuedCertificate, thing: { thingArn?: string; thingId?: string } = {}): Registration {
    const credentials: DeviceCredentials =
      certificate.privateKey !== undefined
        ? { kind: 'x509', certificate: certificate.certificatePem, privateKey: certificate.privateKey }
        : { kind: 'x509', certificate: certificate.certificatePem };
    return {
      deviceId: thingName,
      nodeId: thingName,
      credentials,
      raw: { ...thing, thingName, certificateArn: certificate.certificateArn, certificateId: certificate.certificateId, policyName: this.config.policyName },
    };
  }

  private credentialMode(operation: Operation, vendor: AwsVendorExtras | undefined): { mode: CredentialMode; csr?: string } {
    const mode = vendor?.credentialMode ?? (vendor?.csr ? 'csr' : (this.config.credentialMode ?? 'keys'));
    if (mode === 'csr' && !vendor?.csr) {
      throw this.invalid(operation, 'request.vendor.csr', 'credential mode "csr" needs the device\'s certificate signing request (PEM) in vendor.csr');
    }
    if (mode === 'keys' && vendor?.csr) {
      throw this.invalid(operation, 'request.vendor.csr', 'a CSR was given with credentialMode "keys"; drop one of them');
    }
    if (mode === 'csr') this.checkCsr(operation, vendor?.csr as string);
    return { mode, csr: vendor?.csr };
  }

  /** The PEM body must be base64 of a DER SEQUENCE: a typo is caught before AWS sees it. */
  private checkCsr(operation: Operation, csr: string): void {
    const base64 = csr.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const der = /^[A-Za-z0-9+/]+={0,2}$/.test(base64) ? Buffer.from(base64, 'base64') : Buffer.alloc(0);
    if (der.length < 64 || der[0] !== 0x30) {
      throw this.invalid(operation, 'request.vendor.csr', 'not a PEM-encoded PKCS#10 certificate signing request');
    }
  }

  private refuseSecretsOfOtherClouds(operation: Operation, request: { verifyCode?: string; psk?: string }): void {
    if (request.verifyCode !== undefined) throw this.invalid(operation, 'request.verifyCode', 'AWS IoT devices authenticate with X.509 certificates, not verification codes');
    if (request.psk !== undefined) throw this.invalid(operation, 'request.psk', 'AWS IoT devices authenticate with X.509 certificates, not pre-shared keys');
  }

  private invalid(operation: Operation, field: string, why: string): ProvisioningError {
    return invalidInput({ field, rule: 'aws', message: `Invalid ${field}: ${why}`, provider: this.id, operation });
  }
}
