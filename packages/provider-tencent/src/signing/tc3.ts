import { createHash, createHmac } from 'node:crypto';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  service: string;
  /** Host as signed (the SDKs sign the name without port). */
  host: string;
  method: string;
  /** Canonical URI; Cloud API 3.0 always uses "/". */
  path?: string;
  /** The query string exactly as sent (GET); empty for POST. */
  query?: string;
  /** The Content-Type header value as sent. */
  contentType: string;
  payload: Buffer | string;
  /** Unix seconds. */
  timestamp: number;
}

const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** UTC date of a unix timestamp, yyyy-mm-dd (local dates break signatures around midnight). */
export function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function tc3CanonicalRequest(input: Tc3Input): string {
  // The content type exactly as sent (the official SDK does not lowercase it); host names are case-blind.
  const headers = `content-type:${input.contentType.trim()}\nhost:${input.host.trim().toLowerCase()}\n`;
  return [input.method.toUpperCase(), input.path ?? '/', input.query ?? '', headers, 'content-type;host', sha256Hex(input.payload)].join('\n');
}

export function tc3StringToSign(input: Tc3Input, date = utcDate(input.timestamp)): string {
  return `${TC3_ALGORITHM}\n${input.timestamp}\n${date}/${input.service}/tc3_request\n${sha256Hex(tc3CanonicalRequest(input))}`;
}

/** The hex signature (Tencent Cloud API signing guide, v3). */
export function tc3Signature(input: Tc3Input, date = utcDate(input.timestamp)): string {
  const key = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request');
  return createHmac('sha256', key).update(tc3StringToSign(input, date)).digest('hex');
}

export function tc3Authorization(input: Tc3Input): string {
  const date = utcDate(input.timestamp); // once per signature, not once per step
  return `${TC3_ALGORITHM} Credential=${input.secretId}/${date}/${input.service}/tc3_request, SignedHeaders=content-type;host, Signature=${tc3Signature(input, date)}`;
}

/** Parses an Authorization header; undefined when it is not TC3. */
export function parseTc3Authorization(
  header: string,
): { secretId: string; date: string; service: string; signedHeaders: string[]; signature: string } | undefined {
  const match = /^TC3-HMAC-SHA256\s+Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]+)$/i.exec(
    header.trim(),
  );
  if (!match) return undefined;
  const [, secretId, date, service, signed, signature] = match as unknown as [string, string, string, string, string, string];
  return { secretId, date, service, signedHeaders: signed.toLowerCase().split(';'), signature: signature.toLowerCase() };
}
