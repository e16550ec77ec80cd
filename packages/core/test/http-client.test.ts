import { expect } from 'chai';
import nock from 'nock';
import net from 'node:net';
import { HttpClient, ProvisioningError, Redactor, TokenManager, type HttpClientOptions, type HttpLogEvent, type ResponseInterpreter } from '../src/index.js';
import { failure } from './helpers/failure.js';
import { startServer, type TestServer } from './helpers/server.js';

/** A tiny vendor: errors are {"error": "..."}; 429 throttles, 401 rejects the token, 5xx is down. */
const interpret: ResponseInterpreter = (response) => {
  if (response.status < 400) {
    if (response.text && response.data === undefined) {
      return new ProvisioningError({ code: 'INTERNAL', message: 'malformed body', retryable: false });
    }
    return undefined;
  }
  const message = (response.data as { error?: string } | undefined)?.error ?? `HTTP ${response.status}`;
  const code =
    response.status === 429 ? 'RATE_LIMITED' : response.status === 401 ? 'AUTHENTICATION_FAILED' : response.status >= 500 ? 'UNAVAILABLE' : 'INTERNAL';
  return new ProvisioningError({ code, message, httpStatus: response.status });
};

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('core: HttpClient against a real server on 127.0.0.1', () => {
  let server: TestServer;
  let client: HttpClient;
  const make = (extra: Partial<HttpClientOptions> = {}) =>
    new HttpClient({ provider: 'test', baseURL: server.url, interpret, retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...extra });

  beforeEach(async () => {
    server = await startServer();
    client = make();
  });
  afterEach(async () => {
    client.close();
    await server.close();
  });

  it('serialises JSON and form bodies and returns parsed answers', async () => {
    server.handle((req, res, body) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ got: body, ct: req.headers['content-type'] })));
    const json = await client.send({ operation: 'register', method: 'POST', path: '/a', json: { x: 1 } });
    expect(json.data).to.deep.equal({ got: '{"x":1}', ct: 'application/json; charset=UTF-8' });
    const form = await client.send({ operation: 'login', method: 'POST', path: '/b', form: { appId: 'a b', secret: 'x&y' } });
    expect(form.data).to.deep.equal({ got: 'appId=a+b&secret=x%26y', ct: 'application/x-www-form-urlencoded' });
  });

  it('never re-sends a non-idempotent POST after the connection reset once sent', async () => {
    server.handle((req) => req.socket.destroy());
    const error = await failure(client.send({ operation: 'register', method: 'POST', path: '/devices', json: { nodeId: 'n' } }));
    expect(error.code).to.equal('UNAVAILABLE');
    expect(server.hits).to.have.length(1);
  });

  it('retries an idempotent GET after a connection reset', async () => {
    server.handle((req, res) => (server.hits.length === 1 ? req.socket.destroy() : res.end('{"ok":true}')));
    const response = await client.send({ operation: 'status', method: 'GET', path: '/devices/1' });
    expect(response.data).to.deep.equal({ ok: true });
    expect(response.attempts).to.equal(2);
    expect(server.hits).to.have.length(2);
  });

  it('retries a 5xx only when the request is idempotent', async () => {
    server.handle((_req, res) => res.writeHead(503).end('{"error":"busy"}'));
    const post = await failure(client.send({ operation: 'register', method: 'POST', path: '/x', json: {} }));
    expect(post.code).to.equal('UNAVAILABLE');
    expect(server.hits).to.have.length(1);
    const get = await failure(client.send({ operation: 'status', method: 'GET', path: '/x' }));
    expect(get.$metadata.attempts).to.equal(3);
    expect(get.operation).to.equal('status');
    expect(server.hits).to.have.length(4);
  });

  it('retries an explicit throttle answer even for a POST, honouring Retry-After', async () => {
    server.handle((_req, res) =>
      server.hits.length === 1 ? res.writeHead(429, { 'retry-after': '0' }).end('{"error":"throttled"}') : res.end('{"id":1}'),
    );
    const response = await client.send({ operation: 'register', method: 'POST', path: '/x', json: {} });
    expect(response.data).to.deep.equal({ id: 1 });
    expect(server.hits).to.have.length(2);
  });

  it('retries a POST whose connection was refused (it never reached a server)', async () => {
    const port = await closedPort();
    const refused = new HttpClient({ provider: 'test', baseURL: `http://127.0.0.1:${port}`, interpret, retry: { baseDelayMs: 1 } });
    const error = await failure(refused.send({ operation: 'register', method: 'POST', path: '/x', json: {} }));
    expect(error.code).to.equal('UNAVAILABLE');
    expect(error.retryable).to.equal(true);
    expect(error.$metadata.attempts).to.equal(3);
    refused.close();
  });

  it('times out with TIMEOUT and does not re-send the POST', async () => {
    server.handle(() => undefined); // never answers
    const error = await failure(client.send({ operation: 'register', method: 'POST', path: '/slow', json: {}, timeoutMs: 100 }));
    expect(error.code).to.equal('TIMEOUT');
    expect(server.hits).to.have.length(1);
  });

  it('runs the auth step and re-authenticates exactly once when the answer rejects the token', async () => {
    let token = 'token-1';
    let recoveries = 0;
    client.close();
    client = make({
      auth: {
        authorize: (req) => {
          req.headers.Authorization = `Bearer ${token}`;
        },
        recover: async (error) => {
          if (error.code !== 'AUTHENTICATION_FAILED') return false;
          recoveries++;
          token = `token-${recoveries + 1}`;
          return true;
        },
      },
    });
    server.handle((req, res) => (req.headers.authorization === 'Bearer token-2' ? res.end('{"ok":1}') : res.writeHead(401).end('{"error":"bad token"}')));
    const ok = await client.send({ operation: 'status', method: 'GET', path: '/a' });
    expect(ok.data).to.deep.equal({ ok: 1 });
    expect(recoveries).to.equal(1);

    server.handle((_req, res) => res.writeHead(401).end('{"error":"bad token"}'));
    const error = await failure(client.send({ operation: 'status', method: 'GET', path: '/a' }));
    expect(error.code).to.equal('AUTHENTICATION_FAILED');
    expect(recoveries).to.equal(2);
    expect(server.hits).to.have.length(4);
  });

  it('a token invalidated while a full limiter window queues: the re-login is not starved by calls waiting for it', async function () {
    // The CI hang: 4 slots, 12 calls. The first 4 come back "token rejected"; the 8 queued calls
    // took their slots and then waited for the re-login while holding them, and the login itself
    // waited for a slot. A call now hands its slot back when the token went stale while it queued.
    this.timeout(10_000);
    let issued = 0;
    let valid = '';
    server.handle((req, res, body) => {
      if (req.url === '/login') {
        valid = `token-${++issued}`;
        return res.end(JSON.stringify({ token: valid }));
      }
      if (req.headers.authorization !== `Bearer ${valid}`) return res.writeHead(401).end('{"error":"bad token"}');
      return res.end(JSON.stringify({ ok: body }));
    });
    client.close();
    client = make({ rateLimit: { limit: 4, intervalMs: 100, marginMs: 5 } });
    const tokens = new TokenManager({
      login: async () => {
        const answer = await client.send({ operation: 'login', method: 'POST', path: '/login', json: {}, authenticate: false, idempotent: true });
        return { value: (answer.data as { token: string }).token, expiresAt: Date.now() + 3_600_000 };
      },
    });
    client.setAuth({
      ready: async () => void (await tokens.get()),
      isReady: () => tokens.isFresh(),
      authorize: async (req) => {
        req.headers.Authorization = `Bearer ${await tokens.get()}`;
      },
      recover: async (error, req) => {
        if (error.code !== 'AUTHENTICATION_FAILED') return false;
        await tokens.invalidate((req.headers.Authorization ?? '').replace(/^Bearer /, ''));
        return true;
      },
    });
    await client.send({ operation: 'status', method: 'POST', path: '/warm', json: 0 });
    valid = 'revoked-by-another-login';
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => client.send({ operation: 'status', method: 'POST', path: '/op', json: i })));
    expect(answers.map((a) => (a.data as { ok: string }).ok)).to.deep.equal(Array.from({ length: 12 }, (_, i) => String(i)));
    expect(tokens.stats.logins).to.equal(2);
  });

  it('redacts secrets the server echoes, and logs only redacted URLs', async () => {
    const events: HttpLogEvent[] = [];
    client.close();
    client = make({ redactor: new Redactor(['app-secret-value']), logger: (e) => events.push(e) });
    server.handle((_req, res) => res.writeHead(400).end('{"error":"secret app-secret-value is wrong"}'));
    const error = await failure(
      client.send({ operation: 'login', method: 'POST', path: '/login', query: { secret: 'app-secret-value' }, form: { secret: 'app-secret-value' } }),
    );
    expect(JSON.stringify(error) + error.message + error.stack).to.not.include('app-secret-value');
    expect(JSON.stringify(events)).to.not.include('app-secret-value');
    expect(events[0]).to.include({ operation: 'login', status: 400, errorCode: 'INTERNAL', attempt: 1 });
  });
});

describe('core: HttpClient with nock', () => {
  before(() => nock.activate());
  after(() => nock.restore());
  afterEach(() => nock.cleanAll());

  it('reports a malformed success body through the interpreter', async () => {
    nock('https://api.example.test').get('/thing').reply(200, '<html>oops</html>');
    const client = new HttpClient({ provider: 'test', baseURL: 'https://api.example.test', interpret });
    const error = await failure(client.send({ operation: 'status', method: 'GET', path: '/thing' }));
    expect(error.code).to.equal('INTERNAL');
    client.close();
  });
});

describe('core: HttpClient retry policy (idempotence, Retry-After, repeats)', function () {
  this.timeout(20_000);
  let server: TestServer;
  const clients: HttpClient[] = [];
  const make = (retry: HttpClientOptions['retry'] = {}) => {
    const client = new HttpClient({ provider: 'test', baseURL: server.url, interpret, retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, ...retry } });
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await server.close();
  });

  it('a POST declared idempotent is re-sent after a 503; one left at the default is sent once', async () => {
    server.handle((_req, res) => res.writeHead(503).end('{"error":"busy"}'));
    const client = make();
    await failure(client.send({ operation: 'register', method: 'POST', path: '/a', json: {}, idempotent: true }));
    expect(server.hits).to.have.length(4);
    await failure(client.send({ operation: 'register', method: 'POST', path: '/b', json: {} }));
    expect(server.hits).to.have.length(5);
  });

  it('a request declared not idempotent is never re-sent after a timeout, whatever its method', async () => {
    server.handle(() => undefined); // never answers
    const error = await failure(make().send({ operation: 'rekey', method: 'PUT', path: '/slow', json: {}, idempotent: false, timeoutMs: 100 }));
    expect(error.code).to.equal('TIMEOUT');
    expect(server.hits).to.have.length(1);
  });

  it('honours a Retry-After longer than maxDelayMs (1 s throttle, 20 ms backoff ceiling)', async () => {
    server.handle((_req, res) =>
      server.hits.length === 1 ? res.writeHead(429, { 'retry-after': '1' }).end('{"error":"throttled"}') : res.end('{"id":1}'),
    );
    const started = performance.now();
    await make().send({ operation: 'register', method: 'POST', path: '/x', json: {} });
    expect(performance.now() - started).to.be.at.least(990);
    expect(server.hits).to.have.length(2);
  });

  it('a Retry-After beyond maxRetryAfterMs fails at once: RATE_LIMITED with the wait in details', async () => {
    server.handle((_req, res) => res.writeHead(429, { 'retry-after': '120' }).end('{"error":"throttled"}'));
    const started = performance.now();
    const error = await failure(make({ maxRetryAfterMs: 60_000 }).send({ operation: 'status', method: 'GET', path: '/x' }));
    expect(performance.now() - started).to.be.below(5_000);
    expect(error).to.include({ code: 'RATE_LIMITED', retryable: true });
    expect(error.details).to.deep.equal({ retryAfterMs: 120_000 });
    expect(error.message).to.include('maxRetryAfterMs');
    expect(error.$metadata.attempts).to.equal(1);
    expect(server.hits).to.have.length(1);
  });

  it('a DELETE re-sent after a timeout that answers NOT_FOUND settles as done (doneOnRepeatIf)', async () => {
    const notFound: ResponseInterpreter = (response) =>
      response.status === 404 ? new ProvisioningError({ code: 'NOT_FOUND', message: 'gone', httpStatus: 404 }) : interpret(response, undefined as never);
    const client = new HttpClient({ provider: 'test', baseURL: server.url, interpret: notFound, retry: { maxAttempts: 3, baseDelayMs: 5 } });
    clients.push(client);
    // The first delete is slow: it acts, but its answer comes after the client gave up.
    server.handle((_req, res) => (server.hits.length === 1 ? setTimeout(() => res.end(), 300) : res.writeHead(404).end('{"error":"gone"}')));
    const response = await client.send({ operation: 'unregister', method: 'DELETE', path: '/d/1', timeoutMs: 100, doneOnRepeatIf: ['NOT_FOUND'] });
    expect(response.settledByEarlierAttempt).to.equal(true);
    expect(server.hits).to.have.length(2);
    // Without an uncertain attempt first, NOT_FOUND is what it says.
    const error = await failure(client.send({ operation: 'unregister', method: 'DELETE', path: '/d/2', doneOnRepeatIf: ['NOT_FOUND'] }));
    expect(error.code).to.equal('NOT_FOUND');
  });
});
