import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ProvisioningError, type DeviceCredentials, type RegisterRequest, type Registration, type RekeyRequest, type SealedCredentials } from '@provisio/core';
import { outputFor, withInstance, type GlobalOptions } from '../context.js';
import { deliverIssued, keyValues, printResult } from '../output/format.js';

/**
 * All of stdin, read as a stream: a pipe's writer may still be working (a register call in
 * flight) and may deliver in any number of chunks; a synchronous read of fd 0 fails with
 * EAGAIN on a non-blocking pipe.
 */
async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}

function invalid(field: string, message: string): ProvisioningError {
  return new ProvisioningError({ code: 'INVALID_INPUT', message, field, rule: 'cli', retryable: false });
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
  if (!value) throw invalid('psk-env', `--psk-env names ${variable}, which is not set; export ${variable}=... first`);
  return value;
}

function vendorJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw invalid('vendor', '--vendor must be a JSON object, e.g. \'{"imsi":"460001234567890"}\'');
  }
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
    .description('Register a device and print its credentials')
    .requiredOption('-i, --instance <name>', 'configured instance')
    .requiredOption('--node-id <id>', "the device's own identifier (IMEI, serial, DeviceName)")
    .option('--product-id <id>', 'product the device belongs to')
    .option('--name <name>', 'display name')
    .option('--verify-code <code>', 'verification code to use (Huawei)')
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
      const registration = await withInstance(o, (p) => p.register(request));
      await deliverIssued(outputFor(o), registration, () => keyValues(registrationView(registration)));
    });

  program
    .command('lookup')
    .description('Find a device id by the node id it was registered with')
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
    .description('Show whether a device has activated and whether it is online')
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
    .description('Give a device new credentials (and optionally a new node id)')
    .requiredOption('-i, --instance <name>', 'configured instance')
    .requiredOption('--device-id <id>', 'device id')
    .option('--node-id <id>', 'new node id (Huawei)')
    .option('--verify-code <code>', 'new verification code (Huawei)')
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
      await deliverIssued(outputFor(o), registration, () => keyValues(registrationView(registration)));
    });

  program
    .command('decrypt')
    .description('Decrypt sealed credentials (a register result or its "credentials" object, as JSON)')
    .requiredOption('-i, --instance <name>', 'configured instance (holds the product secret)')
    .option('--input <file>', 'JSON file to read ("-" for standard input)', '-')
    .addHelpText('after', '\nExample:\n  $ provisio register -i tencent --node-id dev1 --json | provisio decrypt -i tencent')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<Opts>();
      let parsed: { credentials?: unknown; kind?: unknown };
      if (o.input === '-' && process.stdin.isTTY) {
        throw invalid('input', 'pipe the JSON of a register result into decrypt, or pass --input FILE');
      }
      try {
        parsed = JSON.parse(o.input === '-' ? await readStdin() : readFileSync(o.input as string, 'utf8')) as typeof parsed;
      } catch (error) {
        throw invalid('input', `the input is not JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      const credentials = (parsed.kind ? parsed : parsed.credentials) as SealedCredentials | DeviceCredentials;
      const plain = await withInstance(o, (p) => p.decryptCredentials(credentials));
      printResult(outputFor(o), plain, () => keyValues(credentialView(plain)));
    });

  program
    .command('unregister')
    .description('Delete a device')
    .requiredOption('-i, --instance <name>', 'configured instance')
    .requiredOption('--device-id <id>', 'device id')
    .addHelpText('after', '\nExample:\n  $ provisio unregister -i huawei --device-id 5f0c...')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<Opts>();
      await withInstance(o, (p) => p.unregister({ deviceId: o.deviceId as string }));
      printResult(outputFor(o), { deviceId: o.deviceId, deleted: true }, () => `Deleted ${o.deviceId}`);
    });
}
