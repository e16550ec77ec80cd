import { readFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import tls from 'node:tls';
import { ProvisioningError } from '../errors/provisioning-error.js';

/**
 * Mutual-TLS and trust settings. Each material may be given inline (PEM text / Buffer)
 * or as a file path; inline wins. Hostname verification is on unless switched off.
 */
export interface TlsOptions {
  /** CA bundle the server certificate must chain to (PEM). */
  ca?: string | Buffer;
  caFile?: string;
  /** Client certificate and key (PEM). */
  cert?: string | Buffer;
  certFile?: string;
  key?: string | Buffer;
  keyFile?: string;
  /** Client certificate and key as PKCS#12 (Buffer, or base64 text). */
  pfx?: string | Buffer;
  pfxFile?: string;
  /** Passphrase of `key` or `pfx`. */
  passphrase?: string;
  /** Verify the server certificate chain. Default true. */
  rejectUnauthorized?: boolean;
  /** Check the certificate matches the host name. Default true (vendor SDKs switch it off; we don't). */
  verifyHostname?: boolean;
  /** SNI / expected host name when it differs from the URL host. */
  servername?: string;
}

export interface AgentOptions {
  keepAlive?: boolean;
  maxSockets?: number;
}

function material(inline: string | Buffer | undefined, file: string | undefined): string | Buffer | undefined {
  if (inline !== undefined) return inline;
  return file ? readFileSync(file) : undefined;
}

function pfxMaterial(tls: TlsOptions): Buffer | undefined {
  if (typeof tls.pfx === 'string') return Buffer.from(tls.pfx, 'base64');
  if (tls.pfx) return tls.pfx;
  return tls.pfxFile ? readFileSync(tls.pfxFile) : undefined;
}

/** The node:https options for a TLS configuration (shared by the HTTP layer and tests). */
export function httpsOptions(tls: TlsOptions = {}): https.AgentOptions {
  const options: https.AgentOptions = {
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
  };
  const ca = material(tls.ca, tls.caFile);
  const cert = material(tls.cert, tls.certFile);
  const key = material(tls.key, tls.keyFile);
  const pfx = pfxMaterial(tls);
  if (ca) options.ca = ca;
  if (cert) options.cert = cert;
  if (key) options.key = key;
  if (pfx) options.pfx = pfx;
  if (tls.passphrase !== undefined) options.passphrase = tls.passphrase;
  if (tls.servername) options.servername = tls.servername;
  if (tls.verifyHostname === false) options.checkServerIdentity = () => undefined;
  return options;
}

/**
 * Builds keep-alive agents. The TLS material is loaded once here, so a wrong passphrase or a
 * broken certificate is an INVALID_INPUT at construction, not a hang at the first request.
 */
export function createAgents(options: TlsOptions = {}, agent: AgentOptions = {}): { http: http.Agent; https: https.Agent } {
  const common = { keepAlive: agent.keepAlive ?? true, maxSockets: agent.maxSockets ?? 64 };
  let secure: https.AgentOptions;
  try {
    secure = httpsOptions(options);
    // Only when there is material to check: an empty context still loads the root store (~20 ms).
    if (secure.ca || secure.cert || secure.key || secure.pfx) tls.createSecureContext(secure);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProvisioningError({
      code: 'INVALID_INPUT',
      message: `TLS material could not be loaded (${reason}); check the certificate, key, PKCS#12 file and passphrase`,
      field: 'tls',
      rule: 'tls',
      retryable: false,
    });
  }
  return { http: new http.Agent(common), https: new https.Agent({ ...common, ...secure }) };
}
