import { timingSafeEqual } from 'node:crypto';
import type { SimRequest } from '@provisio/core/simulator';
import { sigV4Signer } from '../signing/sigv4.js';

export interface SimAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** An AWS authentication failure: HTTP 403 with the type AWS answers. */
export interface SigV4Failure {
  type: 'MissingAuthenticationTokenException' | 'IncompleteSignatureException' | 'UnrecognizedClientException' | 'InvalidSignatureException';
  message: string;
}

/** SigV4 refuses a timestamp more than 5 minutes away from the server's clock. */
export const SKEW_LIMIT_MS = 5 * 60_000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/** "20150830T123600Z" as epoch ms. */
export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : Number.NaN;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Verifies a request's SigV4 Authorization header as AWS does: a known key, the scope (region,
 * service), a timestamp within 5 minutes, then the signature recomputed (with the SDK's own
 * signer library) over exactly the headers the client says it signed. Undefined when it holds.
 */
export async function verifySigV4(
  request: SimRequest,
  keys: readonly SimAccessKey[],
  scope: { region: string; service: string },
  nowMs: number,
): Promise<SigV4Failure | undefined> {
  const header = request.headers.authorization;
  if (!header) return { type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const m = AUTHORIZATION.exec(header.trim());
  if (!m) {
    return { type: 'IncompleteSignatureException', message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header.split(' ')[0]}` };
  }
  const [, accessKeyId, day, region, service, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string, string];
  const key = keys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) return { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  if (region !== scope.region) return { type: 'InvalidSignatureException', message: `Credential should be scoped to a valid region, not '${region}'.` };
  if (service !== scope.service) return { type: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${scope.service}'.` };
  const dateHeader = String(request.headers['x-amz-date'] ?? '');
  const signedAt = parseAmzDate(dateHeader);
  if (Number.isNaN(signedAt) || !dateHeader.startsWith(day)) {
    return { type: 'IncompleteSignatureException', message: "Date must be in ISO-8601 'basic format' and match the credential scope." };
  }
  if (signedAt < nowMs - SKEW_LIMIT_MS) {
    return {
      type: 'InvalidSignatureException',
      message: `Signature expired: ${dateHeader} is now earlier than ${formatAmzDate(nowMs - SKEW_LIMIT_MS)} (${formatAmzDate(nowMs)} - 5 min.)`,
    };
  }
  if (signedAt > nowMs + SKEW_LIMIT_MS) {
    return {
      type: 'InvalidSignatureException',
      message: `Signature not yet current: ${dateHeader} is still later than ${formatAmzDate(nowMs + SKEW_LIMIT_MS)} (${formatAmzDate(nowMs)} + 5 min.)`,
    };
  }
  const names = signedHeaders.split(';');
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of request.url.searchParams) {
    const existing = query[k];
    query[k] = existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
  }
  const signed = await sigV4Signer(key, region, service).sign(
    // The path exactly as received (encoded once): the client signed what it sent.
    { method: request.method, protocol: 'http:', hostname: String(request.headers.host ?? ''), path: request.url.pathname, query, headers, body: request.body.length ? request.body : undefined },
    { signingDate: new Date(signedAt), signableHeaders: new Set(names) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  if (expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return undefined;
  return {
    type: 'InvalidSignatureException',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  };
}
