import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { descriptionOf } from './command-table.js';
import { describeJsonSyntaxError, invalidInput, isProvisioningError, NOT_SENT_CODES, ProvisioningError, type DeviceCredentials, type RegisterRequest, type Registration, type RekeyRequest, type SealedCredentials } from '@provisio/core';
import { outputFor, withInstance, type GlobalOptions } from '../context.js';
import { readStdin } from '../input/stdin.js';
import { deliverCredentials } from '../output/deliver-credentials.js';
import { keyValues, printResult } from '../output/format.js';

function invalid(field: string, message: string): ProvisioningError {
  return invalidInput({ message, field, rule: 'cli' });
}

function integer(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw invalid(field, `--${field} must be an integer, got "${value}"`);
  return n;
}

/** A PSK comes from an environment variable, never from the command line. */
function pskFrom(variable: string | undefined): string | undefined {
  if (variable === undefined) return undefined;
  const value = process.env[variable];
  if (!value) throw invalid('psk-env', `--psk-env names ${variable}, which is not set; export ${variable} (holding the PSK) first`);
  return value;
}

function vendorJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  const example = 'e.g. \'{"imsi":"460001234567890"}\'';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid('vendor', `--vendor is not valid JSON (${describeJsonSyntaxError(text, error)}); it must be a JSON object, ${example}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid('vendor', `--vendor must be a JSON object, ${example}`);
  return value as Record<string, unknown>;
}

/**
 * A register whose answer was lost (the connection dropped or timed out after the request may
 * have been sent) may have created the device: retrying would only meet ALREADY_EXISTS, and the
 * credentials the platform made would be lost. The message says how to find out and get new ones.
 */
function outcomeUnknownAdvice(error: unknown, instance: string, nodeId: string): unknown {
  if (!isProvisioningError(error)) return error;
  const e = error as ProvisioningError;
  const transport = e.httpStatus === undefined && !(e.vendorCode && NOT_SENT_CODES.has(e.vendorCode));
  if (!(e.code === 'UNAVAILABLE' || e.code === 'TIMEOUT') || !transport) return error;
  return new ProvisioningError({
    ...e.toOptions(),
    message:
      `${e.message.replace(/\.$/, '')}. The answer was lost: the device may have been created. Check with ` +
      `"provisio lookup -i ${instance} --node-id ${nodeId}"; if it exists, get credentials with "provisio rekey" (or unregister and register again)`,
    details: { ...e.details, outcomeUnknown: true },
  });
}

function registrationView(r: Registration): Record<string, unknown> {
  return { deviceId: r.deviceId, nodeId: r.nodeId, ...credentialView(r.credentials) };
}

function credentialView(c: DeviceCredentials | SealedCredentials): Record<string, unknown> {
  const { kind, ...rest } = c;
  return { credentials: kind, ...rest };
}

type Opts = GlobalOptions & Record<string, string | undefined> & { instance: string };

export function registerOperationCommands(program: Command): void {
  program
    .command('register')
    .description(descriptionOf('register'))
    .requiredOption('-i, --instance <name>', 'configured instance')
    .requiredOption('--node-id <id>', "the device's own identifier (IMEI, serial, DeviceName)")
    .option('--product-id <id>', 'product the device belongs to')
    .option('--name <name>', 'display name')
    .option('--verify-code <code>', 'verification code to use (clouds whose devices prove themselves with one)')
    .option('--psk-env <VAR>', 'take the PSK from this environment variable (never from the command line)')
    .option('--validity <seconds>', 'seconds the credentials stay valid before activation (0 = never)')
    .option('--vendor <json>', 'provider-specific fields as JSON')
    .addHelpText('after', '\nExample:\n  $ provisio register -i huawei --node-id 860000000000001 --validity 0')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<Opts>();
      const request: RegisterRequest = { nodeId: o.nodeId as string };
      if (o.productId) request.productId = o.productId;
      if (o.name) request.name = o.name;
      if (o.verifyCode) request.verifyCode = o.verifyCode;
      const psk = pskFrom(o.pskEnv);
      if (psk) request.psk = psk;
      if (o.validity !== undefined) request.validitySeconds = integer(o.validity, 'validity');
      const vendor = vendorJson(o.vendor);
      if (vendor) request.vendor = vendor;
      const registration = await withInstance(o, (p) => p.register(request)).catch((error: unknown) => {
        throw outcomeUnknownAdvice(error, o.instance, request.nodeId);
      });
      await deliverCredentials(outputFor(o), registration, () => keyValues(registrationView(registration)), {
        instance: o.instance,
        deviceId: registration.deviceId,
        label: registration.nodeId,
      });
    });

  program
    .command('lookup')
    .description(descriptionOf('lookup'))
    .requiredOption('-i, --instance <name>', 'configured instance')
    .requiredOption('--node-id <id>', 'node id')
    .addHelpText('after', '\nExample:\n  $ provisio lookup -i tencent --node-id sensor_01')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<Opts>();
      const ref = await withInstance(o, (p) => p.lookup({ nodeId: o.nodeId as string }));
      printResult(outputFor(o), ref, () => keyValues({ deviceId: ref.deviceId }));
    });

  program
    .command('status')
    .description(descriptionOf('status'))
    .requiredOption('-i, --instance <name>', 'configured instance')
    .requiredOption('--device-id <id>', 'device id returned by register')
    .addHelpText('after', '\nExample:\n  $ provisio status -i huawei --device-id 5f0c...')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<Opts>();
      const status = await withInstance(o, (p) => p.status({ deviceId: o.deviceId as string }));
      printResult(outputFor(o), status, () => keyValues({ deviceId: status.deviceId, activated: status.activated, connectivity: status.connectivity }));
    });

  program
    .command('rekey')
    .description(descriptionOf('rekey'))
    .requiredOption('-i, --instance <name>', 'configured instance')
    .requiredOption('--device-id <id>', 'device id')
    .option('--node-id <id>', 'new node id (clouds that let a device change it)')
    .option('--verify-code <code>', 'new verification code (verification-code clouds)')
    .option('--psk-env <VAR>', 'take the new PSK from this environment variable')
    .option('--validity <seconds>', 'validity of the new credentials in seconds')
    .addHelpText('after', '\nExample:\n  $ provisio rekey -i huawei --device-id 5f0c... --verify-code NEWCODE')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<Opts>();
      const request: RekeyRequest = {};
      if (o.nodeId) request.nodeId = o.nodeId;
      if (o.verifyCode) request.verifyCode = o.verifyCode;
      const psk = pskFrom(o.pskEnv);
      if (psk) request.psk = psk;
      if (o.validity !== undefined) request.validitySeconds = integer(o.validity, 'validity');
      const registration = await withInstance(o, (p) => p.rekey({ deviceId: o.deviceId as string }, request));
      await deliverCredentials(outputFor(o), registration, () => keyValues(registrationView(registration)), {
        instance: o.instance,
        deviceId: registration.deviceId,
        label: registration.nodeId || registration.deviceId,
      });
    });

  program
    .command('decrypt')
    .description(descriptionOf('decrypt'))
    .requiredOption('-i, --instance <name>', 'configured instance (holds the product secret)')
    .option('--input <file>', 'JSON file to read ("-" for standard input)', '-')
    .addHelpText('after', '\nExample:\n  $ provisio register -i tencent --node-id dev1 --json | provisio decrypt -i tencent')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<Opts>();
      let text: string;
      try {
        text =
          o.input === '-'
            ? await readStdin('decrypt: paste the JSON of a register result (provisio register ... --json), or pipe it in / pass --input FILE')
            : await readFile(o.input as string, 'utf8');
      } catch (error) {
        throw invalid('input', `cannot read ${o.input === '-' ? 'standard input' : o.input}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!text.trim()) {
        throw invalid('input', `${o.input === '-' ? 'standard input' : o.input} is empty; expected the JSON of a register result (did the command before the pipe fail?)`);
      }
      let parsed: { credentials?: unknown; kind?: unknown; deviceId?: unknown; nodeId?: unknown };
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch (error) {
        throw invalid('input', `${o.input === '-' ? 'standard input' : o.input} is not valid JSON (${describeJsonSyntaxError(text, error)}); expected a register result`);
      }
      if (!parsed || typeof parsed !== 'object') throw invalid('input', 'the input must be a JSON object: a register result or its "credentials"');
      const upstream = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
      if (upstream && !parsed.kind && !parsed.credentials) {
        throw invalid('input', `the input is an error, not a register result (the command before the pipe failed): ${String(upstream.code)}: ${String(upstream.message)}`);
      }
      const credentials = (parsed.kind ? parsed : parsed.credentials) as SealedCredentials | DeviceCredentials;
      const plain = await withInstance(o, (p) => p.decryptCredentials(credentials));
      // Piped from register, the plain credentials may exist nowhere else: save them if stdout fails.
      const deviceId = typeof parsed.deviceId === 'string' ? parsed.deviceId : '(unknown)';
      await deliverCredentials(outputFor(o), plain, () => keyValues(credentialView(plain)), {
        instance: o.instance,
        deviceId,
        label: `decrypted-${typeof parsed.nodeId === 'string' ? parsed.nodeId : deviceId}`,
      });
    });

  program
    .command('unregister')
    .description(descriptionOf('unregister'))
    .requiredOption('-i, --instance <name>', 'configured instance')
    .requiredOption('--device-id <id>', 'device id')
    .addHelpText('after', '\nExample:\n  $ provisio unregister -i huawei --device-id 5f0c...')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<Opts>();
      await withInstance(o, (p) => p.unregister({ deviceId: o.deviceId as string }));
      printResult(outputFor(o), { deviceId: o.deviceId, deleted: true }, () => `Deleted ${o.deviceId}`);
    });
}
