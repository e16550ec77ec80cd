import { readFileSync } from 'node:fs';
import type http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';

/** node:http/https/tls are loaded when the first agent is built: importing core should not pay for the TLS stack. */
const builtin = createRequire(import.meta.url) as <T>(id: string) => T;
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
    if (secure.ca || secure.cert || secure.key || secure.pfx) builtin<typeof import('node:tls')>('node:tls').createSecureContext(secure);
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
  const { Agent: HttpAgent } = builtin<typeof http>('node:http');
  const { Agent: HttpsAgent } = builtin<typeof https>('node:https');
  return { http: new HttpAgent(common), https: new HttpsAgent({ ...common, ...secure }) };
}

/** Why a TLS handshake failed, for the caller to fix the right setting. */
export type TlsFailureReason =
  /** The server's certificate does not chain to a trusted CA, or is expired/revoked: check `tls.ca`. */
  | 'server-certificate-untrusted'
  /** The server's certificate is valid but not for this host name: check the URL or `tls.servername`. */
  | 'server-hostname-mismatch'
  /** The server refused our client certificate (or wanted one): check `tls.cert`/`tls.key`/`tls.pfx`. */
  | 'client-certificate-rejected'
  /** Another handshake failure (protocol version, cipher, a plain-HTTP port). */
  | 'handshake-failed';

/** OpenSSL's certificate-verification results, as Node reports them in `error.code`. */
const VERIFY_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

/** TLS alerts a server sends when it does not accept the client's certificate. */
const CLIENT_CERT_ALERT = /ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|DECRYPT_ERROR)$/;

/** The alert an EPROTO error's OpenSSL message names, e.g. "sslv3 alert handshake failure". */
const ALERT_IN_MESSAGE = /alert ([a-z ]+?)(?::|$)/i;

/** Node's words for a connection closed before the TLS handshake finished. */
const HANDSHAKE_CUT = /before secure TLS connection was established/;

/**
 * Classifies a transport error as a TLS trust failure, or undefined when it is not one.
 * Such a failure is a configuration problem: retrying cannot fix it. `presentedClientCertificate`:
 * a server that refuses a client certificate may close the handshake without an alert (Node's
 * own TLS servers do), which then is the likely reason.
 */
export function tlsFailureReason(code: string, message = '', presentedClientCertificate = false): TlsFailureReason | undefined {
  if (!code) return undefined;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') return 'server-hostname-mismatch';
  if (VERIFY_CODES.has(code)) return 'server-certificate-untrusted';
  const alert = code === 'EPROTO' ? `ALERT_${(ALERT_IN_MESSAGE.exec(message)?.[1] ?? '').trim().toUpperCase().replace(/ /g, '_')}` : code;
  if (CLIENT_CERT_ALERT.test(alert)) return 'client-certificate-rejected';
  if (code.startsWith('ERR_SSL_') || code === 'EPROTO') return 'handshake-failed';
  if (code === 'ECONNRESET' && presentedClientCertificate && HANDSHAKE_CUT.test(message)) return 'client-certificate-rejected';
  return undefined;
}
