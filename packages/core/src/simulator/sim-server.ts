import type http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

/** Loaded when a simulator starts: core is imported by programs that never run one. */
const builtin = createRequire(import.meta.url) as <T>(id: string) => T;
import { FAULT_KINDS, FaultQueue, type SimFault } from './faults.js';

/** A request as a simulator route sees it. */
export interface SimRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  /** The raw body bytes. */
  body: Buffer;
  text: string;
  /** Peer certificate subject CN when the client presented one (mutual TLS). */
  clientCertCn?: string;
}

/** An answer. An object body is sent as JSON; `undefined` sends no body at all (e.g. 204). */
export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
}

export interface SimTlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
  /** CA that client certificates must chain to. */
  ca?: string | Buffer;
  /** Ask for a client certificate. */
  requestCert?: boolean;
  /** Refuse clients without a valid certificate (mutual TLS required). */
  rejectUnauthorized?: boolean;
}

export interface SimServerOptions {
  host?: string;
  port?: number;
  tls?: SimTlsOptions;
  /** Vendor routes. */
  handle(request: SimRequest): SimReply | Promise<SimReply>;
  /** Writes a `vendor` fault in the vendor's own error shape. */
  vendorFault(fault: Extract<SimFault, { kind: 'vendor' }>): SimReply;
  /** What a fault's `path` is matched against (default: the path); e.g. add the API action. */
  faultTarget?(request: SimRequest): string;
  /** The simulator's clock (epoch ms); answers carry it in their `Date` header. */
  now?: () => number;
  /** Vendor-specific control routes under /__sim/ (device side); undefined = not found. */
  control?(request: SimRequest): SimReply | undefined | Promise<SimReply | undefined>;
}

export const CONTROL_PREFIX = '/__sim/';

/**
 * The HTTP(S) server under every simulator: binds 127.0.0.1, reads bodies, applies injected
 * faults to API routes and serves the generic control routes (`POST/DELETE /__sim/faults`).
 */
export class SimServer {
  readonly faults = new FaultQueue();
  private server: http.Server | https.Server | undefined;
  private baseUrl = '';
  /** API requests received (control routes excluded), faults included. */
  requestCount = 0;

  constructor(private readonly options: SimServerOptions) {}

  get url(): string {
    return this.baseUrl;
  }

  async start(): Promise<string> {
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => void this.dispatch(req, res);
    const tls = this.options.tls;
    this.server = tls
      ? builtin<typeof https>('node:https').createServer(
          { key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: tls.requestCert ?? false, rejectUnauthorized: tls.rejectUnauthorized ?? false },
          listener,
        )
      : builtin<typeof http>('node:http').createServer(listener);
    this.server.keepAliveTimeout = 5000;
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port ?? 0, host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `${tls ? 'https' : 'http'}://${host}:${port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.options.now) {
      res.sendDate = false;
      res.setHeader('Date', new Date(this.options.now()).toUTCString());
    }
    try {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://simulator');
      const socket = req.socket as import('node:tls').TLSSocket;
      const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
      const request: SimRequest = {
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        body,
        text: body.toString('utf8'),
        clientCertCn: peer && socket.authorized ? (peer.subject?.CN as string | undefined) : undefined,
      };
      if (url.pathname.startsWith(CONTROL_PREFIX)) {
        send(res, (await this.controlRoute(request)) ?? { status: 404, body: { error: 'unknown control route' } });
        return;
      }
      this.requestCount++;
      const fault = this.faults.take(this.options.faultTarget?.(request) ?? url.pathname);
      if (fault?.kind === 'latency') await new Promise((r) => setTimeout(r, fault.ms));
      if (fault?.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'lost-answer') {
        // The cloud acts (the device exists, the secret is issued), but the answer never arrives.
        await this.options.handle(request);
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'malformed') {
        send(res, { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"truncated": ' });
        return;
      }
      if (fault?.kind === 'status') {
        send(res, { status: fault.status, headers: { 'Content-Type': 'text/plain' }, body: fault.body ?? `HTTP ${fault.status}` });
        return;
      }
      if (fault?.kind === 'vendor') {
        send(res, this.options.vendorFault(fault));
        return;
      }
      send(res, await this.options.handle(request));
    } catch (error) {
      send(res, { status: 500, body: { error: error instanceof Error ? error.message : String(error) } });
    }
  }

  private async controlRoute(request: SimRequest): Promise<SimReply | undefined> {
    if (request.url.pathname === `${CONTROL_PREFIX}faults`) {
      if (request.method === 'DELETE') {
        this.faults.clear();
        return { status: 204 };
      }
      if (request.method === 'POST') {
        // A caller's mistake is a 400 saying what is accepted, not a 500; nothing is queued then.
        let parsed: unknown;
        try {
          parsed = JSON.parse(request.text || '{}');
        } catch {
          return { status: 400, body: { error: 'the body must be a fault or an array of faults, as JSON' } };
        }
        const faults = (Array.isArray(parsed) ? parsed : [parsed]) as SimFault[];
        const bad = faults.find((f) => !f || typeof f !== 'object' || !(FAULT_KINDS as readonly string[]).includes(f.kind));
        if (bad !== undefined) {
          return { status: 400, body: { error: `unknown or missing fault kind ${JSON.stringify((bad as { kind?: unknown } | null)?.kind)}; known: ${FAULT_KINDS.join(', ')}` } };
        }
        for (const fault of faults) this.faults.add(fault);
        return { status: 201, body: { queued: this.faults.size } };
      }
    }
    return this.options.control?.(request);
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, reply: SimReply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.body !== undefined) {
    payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}
