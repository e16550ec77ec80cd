import type { AxiosInstance, AxiosStatic } from 'axios';
import type http from 'node:http';
import { createRequire } from 'node:module';
import type https from 'node:https';
import type { FlowLimiter } from '../coordination/coordination.js';
import type { ErrorCode } from '../errors/error-codes.js';
import { ProvisioningError } from '../errors/provisioning-error.js';
import { Redactor } from '../errors/redactor.js';
import { backoffDelay, DEFAULT_RETRY, sleep, type RetryOptions } from './backoff.js';
import { RateLimiter, type RateLimitOptions } from './rate-limiter.js';
import { createAgents, tlsFailureReason, type AgentOptions, type TlsFailureReason, type TlsOptions } from './tls.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A request as a provider describes it; serialisation happens here, in one place. */
export interface HttpRequest {
  /** Contract operation this call serves (for errors and logs). */
  operation: string;
  method: HttpMethod;
  /** Path relative to the base URL, e.g. "/iocm/app/reg/v1.1.0/deviceCredentials". */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** A JSON body (serialised with `JSON.stringify`). */
  json?: unknown;
  /** A form body (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  /** Overrides the Content-Type the body kind implies (vendors differ on charset spelling). */
  contentType?: string;
  /**
   * Can this request be sent twice without doing its side effect twice? The retry policy reads
   * it: a request that is not idempotent is never re-sent once it may have reached the server
   * (timeout, reset, 5xx), only after an answer that proves the server did not act (a throttle)
   * or a failure that proves it was never sent. Default: by HTTP method (GET/PUT/DELETE yes,
   * POST no); a provider overrides it per request when the vendor's semantics differ.
   */
  idempotent?: boolean;
  /**
   * Answers that, to a repeat sent after an attempt whose outcome is unknown, mean the earlier
   * attempt did the job: a DELETE re-sent after a timeout that answers NOT_FOUND succeeded.
   * Such an answer resolves the call (with `settledByEarlierAttempt`).
   */
  doneOnRepeatIf?: readonly ErrorCode[];
  /** Run the provider's auth/signing step. Default true; a login call passes false. */
  authenticate?: boolean;
  timeoutMs?: number;
}

/** The request after serialisation: what a signing step sees and may add headers to. */
export interface PreparedRequest {
  readonly operation: string;
  readonly method: HttpMethod;
  /**
   * The URL as sent, and its host name (no port), path and query (without "?"): set by the HTTP
   * client, so a signer reads them without parsing a URL per call (optional for hand-built requests).
   */
  readonly href?: string;
  readonly hostname?: string;
  readonly pathname?: string;
  readonly search?: string;
  /** `href` parsed (built on first access only). */
  readonly url: URL;
  /** Header names as sent (case preserved). */
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Raw body text. */
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  data: unknown;
  /** How many attempts it took. */
  attempts: number;
  /** A repeat answered one of `doneOnRepeatIf`: an earlier attempt whose answer was lost did the job. */
  settledByEarlierAttempt?: boolean;
}

/**
 * A provider's authentication or signing step (a middleware, like smithy's signers).
 * `authorize` adds headers; `recover` is consulted once per call when an answer says the
 * credentials were rejected: returning true re-sends the request once with fresh credentials.
 */
export interface AuthStep {
  /**
   * Runs before the call waits for the rate limiter (e.g. obtain a login token), so that a
   * login's own call is not queued behind the calls that wait for it, and the request goes
   * out right after its limiter slot instead of a login round-trip later.
   */
  ready?(): Promise<void>;
  /**
   * Can `authorize` run right now without waiting (a valid token is held)? Checked once the
   * limiter slot is taken: when false the slot is handed back unused and the call waits in
   * `ready()` again. A call must never hold a slot while it waits for a login, or a login queued
   * behind a full window of such calls would wait for them forever.
   */
  isReady?(): boolean;
  /** Adds credentials/signature to the serialised request, just before it is sent. */
  authorize(request: PreparedRequest): void | Promise<void>;
  recover?(error: ProvisioningError, request: PreparedRequest, response: HttpResponse): Promise<boolean>;
}

/**
 * Turns a received answer into a typed error, or returns undefined when it is a success.
 * Providers own this: they know their error bodies and codes (including "error with HTTP 200").
 */
export type ResponseInterpreter = (response: HttpResponse, request: PreparedRequest) => ProvisioningError | undefined;

export interface HttpLogEvent {
  provider: string;
  operation: string;
  method: HttpMethod;
  /** URL with secrets redacted. */
  url: string;
  attempt: number;
  status?: number;
  errorCode?: string;
  durationMs: number;
}

export interface HttpClientOptions {
  provider: string;
  baseURL: string;
  /** Per-request timeout in ms. Default 10 000. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Client-side rate limit for this instance; `false` for none. */
  rateLimit?: RateLimitOptions | false;
  /**
   * The application's shared budget (from a Coordination), used instead of a limiter of this
   * client's own; `rateLimit: false` still means none. Its owner closes it, not this client.
   */
  flowLimiter?: FlowLimiter;
  tls?: TlsOptions;
  agent?: AgentOptions;
  auth?: AuthStep;
  interpret: ResponseInterpreter;
  redactor?: Redactor;
  logger?: (event: HttpLogEvent) => void;
  /** Default content type for JSON bodies. */
  jsonContentType?: string;
}

/**
 * axios is loaded on the first request, from its single-file CommonJS build: importing it
 * eagerly (its ESM source is ~80 modules) would double the start-up time of every program
 * that only builds a provisioner or prints --help.
 */
let axiosStatic: AxiosStatic | undefined;
function loadAxios(): AxiosStatic {
  axiosStatic ??= createRequire(import.meta.url)('axios') as AxiosStatic;
  return axiosStatic;
}

const TLS_ADVICE: Record<TlsFailureReason, string> = {
  'server-certificate-untrusted': 'the server certificate does not chain to a trusted CA: check tls.ca',
  'server-hostname-mismatch': 'the server certificate is not valid for this host name: check the URL or tls.servername',
  'client-certificate-rejected': 'the server refused the client certificate: check tls.cert/tls.key/tls.pfx',
  'handshake-failed': 'check the URL scheme and port, and the TLS settings',
};

/** Methods whose repeat has no further effect (RFC 9110 §9.2.2); POST is not one of them. */
const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set<HttpMethod>(['GET', 'PUT', 'DELETE']);

/** Transport failures that prove the request never reached the server: always safe to retry. */
/** Transport failures that prove a request never left: its outcome is known (nothing happened). */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * The shared HTTP layer: keep-alive agents, timeouts, rate limiting, auth, retries with
 * full-jitter backoff (only where a retry cannot duplicate a side effect, or the server
 * explicitly refused with a throttle), and redaction of everything it throws or logs.
 */
export class HttpClient {
  readonly provider: string;
  readonly redactor: Redactor;
  /** The in-process limiter of this client (its own, or the one it shares in this process); undefined for a Redis budget. */
  readonly limiter: RateLimiter | undefined;
  /** The limiter every call goes through: this client's own, or the application's shared one. */
  private readonly flow: FlowLimiter | undefined;
  private readonly ownsLimiter: boolean;

  /** Never the options (TLS passphrase, keys) or the auth step (tokens). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `HttpClient { provider: '${this.provider}' }`;
  }
  private axiosInstance: AxiosInstance | undefined;
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly retry: Required<RetryOptions>;
  /** The base URL without its trailing slash, its host name and path: a request's URL is built as a string. */
  private readonly baseHref: string;
  private readonly baseHostname: string;
  private readonly basePath: string;
  private readonly baseOrigin: string;
  private auth: AuthStep | undefined;
  private readonly presentsClientCertificate: boolean;

  constructor(private readonly options: HttpClientOptions) {
    this.auth = options.auth;
    this.provider = options.provider;
    this.redactor = options.redactor ?? new Redactor();
    this.redactor.addAll([options.tls?.passphrase]);
    const base = new URL(options.baseURL.endsWith('/') ? options.baseURL : `${options.baseURL}/`);
    base.search = '';
    base.hash = '';
    this.baseHref = base.href.slice(0, -1);
    this.baseHostname = base.hostname;
    this.basePath = base.pathname.slice(0, -1);
    this.baseOrigin = this.baseHref.slice(0, this.baseHref.length - this.basePath.length);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.ownsLimiter = Boolean(options.rateLimit && !options.flowLimiter);
    const shared = options.flowLimiter instanceof RateLimiter ? options.flowLimiter : undefined;
    this.limiter = options.rateLimit ? (this.ownsLimiter ? new RateLimiter(options.rateLimit) : shared) : undefined;
    this.flow = options.rateLimit ? (options.flowLimiter ?? this.limiter) : undefined;
    this.agents = createAgents(options.tls, options.agent);
    const tls = options.tls ?? {};
    this.presentsClientCertificate = Boolean(tls.cert ?? tls.certFile ?? tls.pfx ?? tls.pfxFile);
  }

  private get axios(): AxiosInstance {
    this.axiosInstance ??= loadAxios().create({
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      maxRedirects: 0,
      proxy: false,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      decompress: true,
    });
    return this.axiosInstance;
  }

  /** Sends a request; resolves only with a success answer, otherwise throws a ProvisioningError. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
    let recovered = false;
    // An earlier attempt may have reached the server and acted without our seeing the answer.
    let outcomeUnknown = false;
    let attempt = 0;
    for (;;) {
      attempt++;
      const auth = request.authenticate === false ? undefined : this.auth;
      // No await when the credentials are at hand (a fresh token): each costs a turn of the event loop.
      if (auth?.ready && !auth.isReady?.()) await auth.ready();
      // Everything slow happens before the token is taken (login above, loading axios here),
      // so the request reaches the server right after its limiter slot: see RateLimiter.
      const axios = this.axios;
      const release = this.flow ? await this.flow.acquireSlot() : undefined;
      if (release && auth?.isReady && !auth.isReady()) {
        // The token went stale while this call queued (another call's answer invalidated it).
        release(false);
        attempt--;
        continue;
      }
      let prepared: PreparedRequest;
      let started: number;
      let outcome: Awaited<ReturnType<HttpClient['exchange']>>;
      try {
        prepared = this.prepare(request);
        const authorizing = auth?.authorize(prepared);
        if (authorizing) await authorizing;
        started = performance.now();
        outcome = await this.exchange(axios, prepared, request.timeoutMs ?? this.options.timeoutMs ?? 10_000, attempt);
      } finally {
        // The server counted this call by the time its answer (or our giving up) came.
        release?.();
      }
      this.log(prepared, attempt, started, outcome);
      if (outcome.response && !outcome.error) return outcome.response;
      const error = outcome.error as ProvisioningError;
      if (outcomeUnknown && outcome.response && request.doneOnRepeatIf?.includes(error.code)) {
        return { ...outcome.response, attempts: attempt, settledByEarlierAttempt: true };
      }

      // One re-authentication per call (stale token, skewed clock), however the answer came.
      if (!recovered && this.auth?.recover && outcome.response && request.authenticate !== false) {
        recovered = true;
        if (await this.auth.recover(error, prepared, outcome.response)) {
          attempt--;
          continue;
        }
      }
      const serverDidNotAct = !outcome.possiblySent || error.code === 'RATE_LIMITED';
      const retryAfterMs = outcome.retryAfterMs;
      if (retryAfterMs !== undefined && retryAfterMs > this.retry.maxRetryAfterMs && error.retryable) {
        throw this.finalError(request, attempt, error, {
          message: `${error.message} (the server asks to retry after ${Math.ceil(retryAfterMs / 1000)} s, more than the ${Math.ceil(this.retry.maxRetryAfterMs / 1000)} s this client waits: retry.maxRetryAfterMs)`,
          retryAfterMs,
        });
      }
      if (error.retryable && (idempotent || serverDidNotAct) && attempt < this.retry.maxAttempts) {
        if (!serverDidNotAct) outcomeUnknown = true;
        await sleep(backoffDelay(attempt, this.retry, retryAfterMs));
        continue;
      }
      throw this.finalError(request, attempt, error, retryAfterMs === undefined ? undefined : { retryAfterMs });
    }
  }

  private finalError(
    request: HttpRequest,
    attempts: number,
    error: ProvisioningError,
    extra?: { message?: string; retryAfterMs: number },
  ): ProvisioningError {
    const withExtra = extra
      ? new ProvisioningError({
          ...error.toOptions(),
          message: extra.message ?? error.message,
          details: { ...error.details, retryAfterMs: extra.retryAfterMs },
          redactor: this.redactor,
        })
      : error;
    return withExtra.withContext({ provider: this.provider, operation: request.operation, attempts, redactor: this.redactor });
  }

  /**
   * Installs the auth step after construction: a login-token step usually needs this very
   * client for its own login calls (so they share the rate limit and TLS settings).
   */
  setAuth(auth: AuthStep): void {
    this.auth = auth;
  }

  /** Closes sockets and the limiter's timer. */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
    // A shared limiter belongs to its coordination, which closes it.
    if (this.ownsLimiter) this.limiter?.close();
  }

  private prepare(request: HttpRequest): PreparedRequest {
    // A string, not `new URL` (which axios would only serialise and parse again): the paths come
    // from providers, already percent-encoded; the query is encoded as URLSearchParams does.
    const pathname = this.basePath + (request.path.startsWith('/') ? request.path : `/${request.path}`);
    const search = request.query ? queryString(request.query) : '';
    const href = this.baseOrigin + pathname + (search ? `?${search}` : '');
    const headers: Record<string, string> = request.headers ? { ...request.headers } : {};
    let body: Buffer | undefined;
    if (request.json !== undefined) {
      body = Buffer.from(JSON.stringify(request.json), 'utf8');
      headers['Content-Type'] = request.contentType ?? this.options.jsonContentType ?? 'application/json; charset=UTF-8';
    } else if (request.form !== undefined) {
      body = Buffer.from(new URLSearchParams(request.form).toString(), 'utf8');
      headers['Content-Type'] = request.contentType ?? 'application/x-www-form-urlencoded';
    }
    let url: URL | undefined;
    return {
      operation: request.operation,
      method: request.method,
      href,
      hostname: this.baseHostname,
      pathname,
      search,
      get url() {
        url ??= new URL(href);
        return url;
      },
      headers,
      body,
    };
  }


  private async exchange(
    axios: AxiosInstance,
    prepared: PreparedRequest,
    timeoutMs: number,
    attempt: number,
  ): Promise<{ response?: HttpResponse; error?: ProvisioningError; possiblySent: boolean; retryAfterMs?: number }> {
    try {
      const res = await axios.request<string>({
        method: prepared.method,
        url: prepared.href ?? prepared.url.href,
        headers: prepared.body ? prepared.headers : { ...prepared.headers, 'Content-Type': undefined as unknown as string },
        data: prepared.body,
        timeout: timeoutMs,
      });
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(res.headers)) {
        if (value !== undefined && value !== null) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      const text = typeof res.data === 'string' ? res.data : '';
      const response: HttpResponse = { status: res.status, headers, text, data: parseJson(text), attempts: attempt };
      const error = this.options.interpret(response, prepared);
      return { response, error, possiblySent: true, retryAfterMs: retryAfter(headers['retry-after']) };
    } catch (thrown) {
      return { ...this.transportError(thrown, prepared), possiblySent: !notSent(thrown) };
    }
  }

  private transportError(thrown: unknown, prepared: PreparedRequest): { error: ProvisioningError } {
    const code = (thrown as { isAxiosError?: boolean; code?: string })?.isAxiosError ? ((thrown as { code?: string }).code ?? '') : '';
    const causeCode = (thrown as { cause?: { code?: string } })?.cause?.code ?? '';
    const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || causeCode === 'ETIMEDOUT';
    const detail = thrown instanceof Error ? thrown.message : String(thrown);
    const where = `${prepared.method} ${prepared.url.host}${prepared.url.pathname}`;
    const byCode = tlsFailureReason(code, detail, this.presentsClientCertificate);
    const tlsReason = byCode ?? tlsFailureReason(causeCode, detail, this.presentsClientCertificate);
    const tlsCode = byCode ? code : causeCode;
    if (tlsReason) {
      // A trust failure is configuration (CA, client certificate, host name): typed, never retried.
      return {
        error: new ProvisioningError({
          code: 'AUTHENTICATION_FAILED',
          message: `TLS handshake with ${prepared.url.host} failed (${tlsCode}, ${TLS_ADVICE[tlsReason]}): ${detail}`,
          provider: this.provider,
          operation: prepared.operation,
          vendorCode: tlsCode,
          retryable: false,
          details: { tls: { reason: tlsReason, code: tlsCode } },
          redactor: this.redactor,
        }),
      };
    }
    return {
      error: new ProvisioningError({
        code: timedOut ? 'TIMEOUT' : 'UNAVAILABLE',
        message: timedOut ? `${where} timed out` : `${where} failed: ${detail}`,
        provider: this.provider,
        operation: prepared.operation,
        vendorCode: code || causeCode || undefined,
        retryable: true,
        redactor: this.redactor,
      }),
    };
  }

  private log(
    prepared: PreparedRequest,
    attempt: number,
    started: number,
    outcome: { response?: HttpResponse; error?: ProvisioningError },
  ): void {
    if (!this.options.logger) return;
    this.options.logger({
      provider: this.provider,
      operation: prepared.operation,
      method: prepared.method,
      url: this.redactor.redact(prepared.href ?? prepared.url.href),
      attempt,
      status: outcome.response?.status,
      errorCode: outcome.error?.code,
      durationMs: Math.round(performance.now() - started),
    });
  }
}

function notSent(thrown: unknown): boolean {
  const code = (thrown as { code?: string })?.code ?? '';
  const causeCode = (thrown as { cause?: { code?: string } })?.cause?.code ?? '';
  return NOT_SENT_CODES.has(code) || NOT_SENT_CODES.has(causeCode);
}

const PLAIN_QUERY_VALUE = /^[A-Za-z0-9._*-]*$/;

/** The query string URLSearchParams would write (undefined values left out), without building one for plain values. */
function queryString(query: Record<string, string | number | boolean | undefined>): string {
  let out = '';
  for (const key in query) {
    const value = query[key];
    if (value === undefined) continue;
    const text = String(value);
    const pair = PLAIN_QUERY_VALUE.test(key) && PLAIN_QUERY_VALUE.test(text) ? `${key}=${text}` : new URLSearchParams([[key, text]]).toString();
    out += out ? `&${pair}` : pair;
  }
  return out;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function retryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
