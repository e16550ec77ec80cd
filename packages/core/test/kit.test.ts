// The provider kit, against a real server on 127.0.0.1: the client factory, the bearer and
// signer steps, the error table, commands and the invalid-input helper.
import { expect } from 'chai';
import util from 'node:util';
import {
  BaseProvider,
  BearerTokenAuth,
  codeForHttpStatus,
  createHttpClient,
  defineCommand,
  ErrorTable,
  invalidInput,
  Provisioner,
  providerPlugin,
  readPackageInfo,
  Redactor,
  RequestSigner,
  requireFields,
  sendCommand,
  ServerClock,
  TokenManager,
  type HttpClient,
  type InstanceContext,
  type ProviderCapabilities,
} from '../src/index.js';
import { failure } from './helpers/failure.js';
import { startServer, type TestServer } from './helpers/server.js';

/** A small vendor: errors are {"err": {"code", "msg"}} and may come with HTTP 200. */
const table = new ErrorTable({
  provider: 'acme',
  vendorName: 'Acme',
  codes: { 'Device.Exists': { code: 'ALREADY_EXISTS' }, Busy: { code: 'UNAVAILABLE', retryable: true } },
  prefixes: [['Auth.', { code: 'AUTHENTICATION_FAILED' }]],
  match: (vendor) => (/quota/i.test(vendor.message ?? '') ? { code: 'QUOTA_EXCEEDED' } : undefined),
});
const interpret = table.interpreter({
  readError: (response) => {
    const err = (response.data as { err?: { code?: string; msg?: string } } | undefined)?.err;
    return err?.code ? { code: err.code, message: err.msg } : undefined;
  },
});

function json(res: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('core kit: the HTTP-status family map', () => {
  it('maps each family the same way for every provider', () => {
    const expected: Array<[number, string]> = [
      [400, 'INVALID_INPUT'], [401, 'AUTHENTICATION_FAILED'], [403, 'ACCESS_DENIED'], [404, 'NOT_FOUND'],
      [408, 'TIMEOUT'], [409, 'ALREADY_EXISTS'], [429, 'RATE_LIMITED'], [500, 'UNAVAILABLE'], [503, 'UNAVAILABLE'],
      [504, 'TIMEOUT'], [302, 'INTERNAL'], [418, 'INTERNAL'],
    ];
    for (const [status, code] of expected) expect(codeForHttpStatus(status), String(status)).to.equal(code);
  });
});

describe('core kit: against a real server', () => {
  let server: TestServer;
  const clients: HttpClient[] = [];
  const client = (extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) => {
    const made = createHttpClient({
      provider: 'acme',
      baseURL: server.url,
      // Short backoff: these tests count attempts, not wait for them.
      config: { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 } },
      defaultRateLimit: { limit: 50, intervalMs: 1000 },
      interpret,
      redactor: new Redactor(),
      ...extra,
    });
    clients.push(made);
    return made;
  };

  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server.close();
  });

  describe('createHttpClient', () => {
    it('applies the vendor default rate limit only when the config sets none', () => {
      expect(client().limiter, 'default applies').to.not.equal(undefined);
      // why rateLimit: false here: it is the switch under test
      expect(client({ config: { rateLimit: false } }).limiter, 'false switches it off').to.equal(undefined); // why: see above
      expect(client({ defaultRateLimit: undefined }).limiter, 'no default, no limiter').to.equal(undefined);
    });

    it('passes the config fragments on: timeoutMs and retry', async () => {
      server.handle(() => undefined); // never answers
      const error = await failure(
        client({ config: { timeoutMs: 100, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } } }).send({ operation: 'status', method: 'GET', path: '/slow' }),
      );
      expect(error.code).to.equal('TIMEOUT');
      expect(error.$metadata.attempts).to.equal(2);
      expect(server.hits).to.have.length(2);
    });
  });

  describe('ErrorTable', () => {
    it('maps vendor codes (also with HTTP 200), prefixes, message rules; unknown codes fall back on the status family', async () => {
      const c = client();
      const cases: Array<[number, unknown, string]> = [
        [200, { err: { code: 'Device.Exists', msg: 'exists' } }, 'ALREADY_EXISTS'],
        [200, { err: { code: 'Auth.Expired' } }, 'AUTHENTICATION_FAILED'],
        [400, { err: { code: 'Whatever', msg: 'Quota used up' } }, 'QUOTA_EXCEEDED'],
        [404, { err: { code: 'Unlisted' } }, 'NOT_FOUND'],
        [200, { err: { code: 'Unlisted' } }, 'INTERNAL'],
        [403, {}, 'ACCESS_DENIED'],
      ];
      for (const [status, body, code] of cases) {
        server.handle((_req, res) => json(res, status, body));
        const error = await failure(c.send({ operation: 'register', method: 'POST', path: '/d', json: {} }));
        expect(error.code, JSON.stringify(body)).to.equal(code);
        expect(error.provider).to.equal('acme');
        expect(error.operation).to.equal('register');
        expect(error.httpStatus).to.equal(status);
      }
    });

    it('keeps the vendor code and message, and a non-JSON success body is INTERNAL, not retried', async () => {
      const c = client();
      server.handle((_req, res) => json(res, 409, { err: { code: 'Device.Exists', msg: 'name taken' } }));
      const error = await failure(c.send({ operation: 'register', method: 'POST', path: '/d', json: {} }));
      expect(error).to.include({ vendorCode: 'Device.Exists', vendorMessage: 'name taken', retryable: false });
      expect(error.message).to.equal('Acme error Device.Exists: name taken (HTTP 409)');
      server.handle((_req, res) => res.end('<html>proxy</html>'));
      const before = server.hits.length;
      const malformed = await failure(c.send({ operation: 'status', method: 'GET', path: '/d' }));
      expect(malformed.code).to.equal('INTERNAL');
      expect(server.hits.length - before).to.equal(1);
    });

    it('a per-code retryable flag makes the client retry', async () => {
      const c = client();
      server.handle((_req, res) => json(res, 200, server.hits.length < 2 ? { err: { code: 'Busy' } } : { ok: true }));
      const response = await c.send({ operation: 'status', method: 'GET', path: '/d' });
      expect(response.attempts).to.equal(2);
    });
  });

  describe('commands', () => {
    const create = defineCommand<{ name: string }, { id: string; key: string }>({
      name: 'CreateThing',
      idempotent: false,
      serialize: (input) => ({ method: 'POST', path: '/things', json: { name: input.name } }),
      deserialize: (response, _input, context) => {
        const answer = requireFields<{ id: string; key: string }>(response.data, ['id', 'key'], 'CreateThing answer');
        context.redactor.add(answer.key);
        return answer;
      },
    });
    const read = defineCommand<{ id: string }, unknown>({
      name: 'GetThing',
      idempotent: true,
      serialize: (input) => ({ method: 'POST', path: `/things/${input.id}/get` }),
      deserialize: (response) => response.data,
    });

    it('serialises the input, deserialises the answer and registers issued secrets with the redactor', async () => {
      const c = client();
      server.handle((_req, res, body) => json(res, 200, { id: `id-${(JSON.parse(body) as { name: string }).name}`, key: 'issued-key-123456' }));
      const out = await sendCommand(c, create, { name: 'n1' }, 'register');
      expect(out).to.deep.equal({ id: 'id-n1', key: 'issued-key-123456' });
      expect(server.hits[0]).to.include({ method: 'POST', url: '/things' });
      expect(c.redactor.redact('key issued-key-123456')).to.not.include('issued-key-123456');
    });

    it('the retry policy reads idempotent: a non-idempotent command is not re-sent after a 5xx, an idempotent one is', async () => {
      const c = client();
      server.handle((_req, res) => json(res, 503, {}));
      expect((await failure(sendCommand(c, create, { name: 'n1' }, 'register'))).code).to.equal('UNAVAILABLE');
      expect(server.hits, 'create sent once').to.have.length(1);
      expect((await failure(sendCommand(c, read, { id: 'x' }, 'status'))).code).to.equal('UNAVAILABLE');
      expect(server.hits, 'read (a POST too) retried to maxAttempts').to.have.length(4);
    });

    it('a malformed answer is INTERNAL with provider and operation', async () => {
      const c = client();
      server.handle((_req, res) => json(res, 200, { id: 'only-id' }));
      const error = await failure(sendCommand(c, create, { name: 'n1' }, 'register'));
      expect(error).to.include({ code: 'INTERNAL', provider: 'acme', operation: 'register', retryable: false });
      expect(error.message).to.equal('CreateThing answer lacks key');
    });
  });

  describe('BearerTokenAuth', () => {
    it('logs in once for concurrent calls, sends the header, renews once on a refused token', async () => {
      let issued = 0;
      let valid = '';
      server.handle((req, res) => {
        if (req.url === '/login') {
          valid = `token-${++issued}-abcdefgh`;
          return json(res, 200, { token: valid });
        }
        if (req.headers['x-auth'] !== `Bearer ${valid}` || req.headers['app-key'] !== 'app1') return json(res, 401, { err: { code: 'Auth.TokenExpired' } });
        return json(res, 200, { ok: true });
      });
      const c = client();
      const tokens = new TokenManager({
        login: async () => {
          const answer = await c.send({ operation: 'login', method: 'POST', path: '/login', authenticate: false, idempotent: true });
          return { value: (answer.data as { token: string }).token, expiresAt: Date.now() + 3600_000 };
        },
      });
      const auth = new BearerTokenAuth({ tokens, header: 'X-Auth', headers: { 'app-key': 'app1' }, isTokenRejected: (e) => e.vendorCode === 'Auth.TokenExpired' });
      c.setAuth(auth);
      await Promise.all(Array.from({ length: 5 }, () => c.send({ operation: 'status', method: 'GET', path: '/d' })));
      expect(issued, 'one login for five concurrent calls').to.equal(1);
      valid = 'revoked-elsewhere';
      const response = await c.send({ operation: 'status', method: 'GET', path: '/d' });
      expect(issued, 'renewed once').to.equal(2);
      expect(response.status).to.equal(200);
      expect(util.inspect(auth)).to.not.include('token-');
    });

    it('is ready only while a fresh token is held (a queued call hands its limiter slot back otherwise)', async () => {
      let expiresAt = Date.now() + 3600_000;
      const tokens = new TokenManager({ login: async () => ({ value: 'tok-abcdefgh', expiresAt }) });
      const auth = new BearerTokenAuth({ tokens, isTokenRejected: () => false });
      expect(auth.isReady()).to.equal(false);
      await auth.ready();
      expect(auth.isReady()).to.equal(true);
      expiresAt = Date.now() - 1;
      tokens.clear();
      expect(auth.isReady()).to.equal(false);
    });
  });

  describe('RequestSigner', () => {
    it('signs with the server clock and re-signs once after a clock-skew refusal', async () => {
      const serverNow = Date.now();
      server.handle((req, res) => {
        const stamp = Number(req.headers['x-stamp']);
        if (Math.abs(stamp - Math.floor(serverNow / 1000)) > 300) {
          return json(res, 200, { err: { code: 'Auth.SignatureExpired' } }, { Date: new Date(serverNow).toUTCString() });
        }
        return json(res, 200, { ok: true });
      });
      // The local clock is an hour fast.
      const clock = new ServerClock(() => Date.now() + 3600_000);
      const signer = new RequestSigner({
        clock,
        sign: (request, now) => {
          request.headers['X-Stamp'] = String(now.nowSeconds());
        },
        isClockSkew: (error) => error.vendorCode === 'Auth.SignatureExpired',
      });
      const c = client({ auth: signer });
      const response = await c.send({ operation: 'status', method: 'GET', path: '/d' });
      expect(response.status).to.equal(200);
      expect(server.hits).to.have.length(2);
      expect(clock.offsetSeconds).to.be.within(-3602, -3598);
    });

    it('does not re-send on other refusals', async () => {
      server.handle((_req, res) => json(res, 200, { err: { code: 'Auth.BadSignature' } }, { Date: new Date().toUTCString() }));
      const signer = new RequestSigner({ sign: () => undefined, isClockSkew: (error) => error.vendorCode === 'Auth.SignatureExpired' });
      const error = await failure(client({ auth: signer }).send({ operation: 'status', method: 'GET', path: '/d' }));
      expect(error.code).to.equal('AUTHENTICATION_FAILED');
      expect(server.hits).to.have.length(1);
    });
  });
});

describe('core kit: invalidInput and readPackageInfo', () => {
  it('invalidInput names the field and the rule and is never retryable', () => {
    const error = invalidInput({ field: 'request.psk', rule: 'unsupported', message: 'no PSK here', provider: 'acme', operation: 'rekey' });
    expect(error.toJSON()).to.include({ code: 'INVALID_INPUT', field: 'request.psk', rule: 'unsupported', retryable: false, provider: 'acme', operation: 'rekey' });
  });

  it('readPackageInfo reads the name and version package.json states', () => {
    expect(readPackageInfo(new URL('../../package.json', import.meta.url))).to.deep.include({ name: '@provisio/core' });
  });
});

describe('core kit: providerPlugin', () => {
  class Labelled extends BaseProvider {
    readonly id = 'labelled';
    readonly capabilities: ProviderCapabilities = {
      operations: { register: true, lookup: false, status: false, rekey: false, decryptCredentials: false, unregister: false },
      credentialKinds: ['psk'],
      sealedCredentials: false,
      rekeyRequiresOffline: false,
      connectivity: false,
    };
    constructor(readonly context: InstanceContext<{ label: string }>) {
      super({ redactor: context.redactor });
    }
  }

  it('reads name and version from package.json and builds one provider per instance, with that instance config', async () => {
    const plugin = providerPlugin<{ label: string }>({
      packageJson: new URL('../../package.json', import.meta.url),
      providerId: 'labelled',
      coreApi: '^1.0.0',
      configSchema: { type: 'object', required: ['label'], properties: { label: { type: 'string' } } },
      provider: Labelled,
    });
    expect(plugin).to.include({ name: '@provisio/core', providerId: 'labelled' });
    expect(plugin.version).to.match(/^\d+\.\d+\.\d+/);
    const provisioner = await Provisioner.create({ instances: { a: { plugin, config: { label: 'A' } }, b: { plugin, config: { label: 'B' } } } });
    try {
      const a = provisioner.get('a') as Labelled;
      const b = provisioner.get('b') as Labelled;
      expect(a).to.not.equal(b);
      expect([a.context.config.label, b.context.config.label]).to.deep.equal(['A', 'B']);
      expect(provisioner.get('a')).to.equal(a);
    } finally {
      await provisioner.close();
    }
  });
});
