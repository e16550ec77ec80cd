import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
// tsyringe needs its Reflect polyfill first (core no longer loads it at import).
import 'reflect-metadata';
import { container } from 'tsyringe';
import {
  BaseProvider, INSTANCE_CONTEXT, PROVIDER_TOKEN, Provisioner, ProvisioningError, discoverPlugins, loadPlugin,
  type InstanceContext, type ProviderCapabilities, type ProvisioningPlugin,
} from '../src/index.js';

import { failure } from './helpers/failure.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const FIXTURE = 'provisio-plugin-fixture-echo';

const capabilities: ProviderCapabilities = {
  operations: { register: true, lookup: false, status: false, rekey: false, decryptCredentials: false, unregister: false },
  credentialKinds: ['psk'],
  sealedCredentials: false,
  rekeyRequiresOffline: false,
  connectivity: false,
};

class InlineProvider extends BaseProvider {
  readonly id = 'inline';
  readonly capabilities = capabilities;
  constructor(readonly context: InstanceContext<{ label: string }>) {
    super({ redactor: context.redactor });
  }
  protected override async doRegister(request: { nodeId: string }) {
    return { deviceId: `${this.context.config.label}:${request.nodeId}`, nodeId: request.nodeId, credentials: { kind: 'psk' as const, psk: 'ab', encoding: 'hex' as const } };
  }
}

const inlinePlugin: ProvisioningPlugin = {
  name: 'inline-plugin',
  version: '0.0.1',
  providerId: 'inline',
  coreApi: '^1.0.0',
  configSchema: { type: 'object', required: ['label'], properties: { label: { type: 'string' } }, additionalProperties: false },
  register(c) {
    c.register(PROVIDER_TOKEN, { useFactory: (dc) => new InlineProvider(dc.resolve(INSTANCE_CONTEXT)) });
  },
};

describe('core: plugin discovery and the Provisioner', () => {
  it('loads a plugin that lives as a separate package, by its package name, and uses it', async () => {
    const provisioner = await Provisioner.create({
      instances: { echo: { plugin: FIXTURE, config: { prefix: 'dev-', apiKey: 'fixture-api-key' } } },
    });
    const echo = provisioner.get('echo');
    const registration = await echo.register({ nodeId: 'n1' });
    expect(registration.deviceId).to.equal('dev-n1');
    expect((await echo.status({ deviceId: 'dev-n1' })).raw).to.deep.equal({ instance: 'echo' });
    expect(provisioner.list()).to.deep.equal([
      { name: 'echo', plugin: FIXTURE, pluginVersion: '1.2.3', providerId: 'echo', capabilities: echo.capabilities },
    ]);
    await provisioner.close();
  });

  it('finds installed packages that declare themselves provisio plugins', () => {
    const names = discoverPlugins(repoRoot).map((p) => p.packageName);
    expect(names).to.include(FIXTURE);
  });

  it('keeps two instances of one plugin apart, each in its own child container', async () => {
    const provisioner = await Provisioner.create({
      instances: {
        staging: { plugin: inlinePlugin, config: { label: 'staging' } },
        production: { plugin: inlinePlugin, config: { label: 'production' } },
      },
    });
    expect((await provisioner.get('staging').register({ nodeId: 'a' })).deviceId).to.equal('staging:a');
    expect((await provisioner.get('production').register({ nodeId: 'a' })).deviceId).to.equal('production:a');
    expect(provisioner.get('staging')).to.not.equal(provisioner.get('production'));
    // Nothing leaked into the root container.
    expect(container.isRegistered(PROVIDER_TOKEN, false)).to.equal(false);
    await provisioner.close();
  });

  it('answers UNSUPPORTED for an operation the provider does not claim', async () => {
    const provisioner = await Provisioner.create({ instances: { x: { plugin: inlinePlugin, config: { label: 'x' } } } });
    const error = await failure(provisioner.get('x').status({ deviceId: 'a' }));
    expect(error.code).to.equal('UNSUPPORTED');
    await provisioner.close();
  });

  it('fails clearly for an unknown package', async () => {
    const error = await failure(Provisioner.create({ instances: { a: { plugin: 'provisio-no-such-plugin', config: {} } } }));
    expect(error.code).to.equal('INVALID_INPUT');
    expect(error.message).to.include('provisio-no-such-plugin').and.include('npm install');
  });

  it('fails clearly for a duplicate instance name', async () => {
    const error = await failure(
      Provisioner.create({
        instances: [
          { name: 'a', plugin: inlinePlugin, config: { label: 'x' } },
          { name: 'a', plugin: inlinePlugin, config: { label: 'y' } },
        ],
      }),
    );
    expect(error.message).to.include('Duplicate instance name "a"');
  });

  it('fails clearly for an incompatible core API range', async () => {
    const error = await failure(
      Provisioner.create({ instances: { a: { plugin: { ...inlinePlugin, coreApi: '^2.0.0' }, config: { label: 'x' } } } }),
    );
    expect(error.message).to.include('^2.0.0').and.include('1.0.0');
  });

  it('fails clearly for an invalid config, naming the field, and never echoes a secret', async () => {
    const missing = await failure(Provisioner.create({ instances: { e: { plugin: FIXTURE, config: { prefix: 'p' } } } }));
    expect(missing.field).to.equal('instances.e.config.apiKey');
    expect(missing.rule).to.equal('required');
    const short = await failure(Provisioner.create({ instances: { e: { plugin: FIXTURE, config: { prefix: 'p', apiKey: 'short' } } } }));
    expect(short.rule).to.equal('minLength');
    expect(JSON.stringify(short) + short.message).to.not.include('short"');
  });

  it('redacts config fields the plugin marks writeOnly from its errors', async () => {
    const provisioner = await Provisioner.create({ instances: { e: { plugin: FIXTURE, config: { prefix: 'p', apiKey: 'fixture-api-key' } } } });
    await provisioner.get('e').register({ nodeId: 'dup' });
    // The fixture's error message names the node, which we make equal to the secret to prove redaction.
    await provisioner.get('e').register({ nodeId: 'fixture-api-key' });
    const error = await failure(provisioner.get('e').register({ nodeId: 'fixture-api-key' }));
    expect(error.code).to.equal('ALREADY_EXISTS');
    expect(error.message + JSON.stringify(error)).to.not.include('fixture-api-key');
    await provisioner.close();
  });

  it('refuses an object that is not a plugin', async () => {
    const error = await failure(loadPlugin('tsyringe'));
    expect(error.message).to.include('is not a provisio plugin');
  });

  it('throws NOT_FOUND naming the configured instances for an unknown name', async () => {
    const provisioner = await Provisioner.create({ instances: { only: { plugin: inlinePlugin, config: { label: 'x' } } } });
    expect(() => provisioner.get('other')).to.throw(ProvisioningError, /configured: only/);
    await provisioner.close();
  });
});
