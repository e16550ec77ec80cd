import { RequestSigner } from '@provisio/core';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest as SmithyRequest } from '@smithy/types';
import { isClockSkew } from '../errors.js';
import { NodeSha256 } from './node-sha256.js';

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** What is signed: a request as it goes on the wire. */
export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
}

export function sigV4Signer(credentials: SigV4Credentials, region: string, service: string): SignatureV4 {
  // uriEscapePath: every service but S3 signs the path URI-encoded once more (the SDK's default).
  return new SignatureV4({ credentials, region, service, sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
}

/** The request in smithy's shape: decoded query values, the path exactly as sent, `host` as sent. */
export function toSmithyRequest(request: SignableRequest): SmithyRequest {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of request.url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return {
    method: request.method,
    protocol: request.url.protocol,
    hostname: request.url.hostname,
    port: request.url.port ? Number(request.url.port) : undefined,
    path: request.url.pathname,
    query,
    headers: { ...request.headers },
    body: request.body,
  };
}

/**
 * Signs with AWS Signature Version 4 (@smithy/signature-v4, the SDK's own signer) at `date`:
 * returns the headers to add (authorization, x-amz-date, x-amz-security-token).
 */
export async function signV4(signer: SignatureV4, request: SignableRequest, date: Date): Promise<Record<string, string>> {
  const unsigned = toSmithyRequest({ ...request, headers: { ...request.headers, host: request.url.host } });
  const signed = await signer.sign(unsigned, { signingDate: date });
  const added: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    if (!(name in request.headers)) added[name] = value;
  }
  return added;
}

/**
 * The HTTP layer's signing step for AWS: SigV4 at the server's time as the client knows it, and
 * one re-sign after a "Signature expired" answer (the clock corrected from its Date header),
 * as the AWS SDK's clock-skew correction does.
 */
export function sigV4RequestSigner(credentials: SigV4Credentials, region: string, service: string): RequestSigner {
  const signer = sigV4Signer(credentials, region, service);
  return new RequestSigner({
    async sign(request, clock) {
      Object.assign(request.headers, await signV4(signer, request, new Date(clock.nowMs())));
    },
    isClockSkew: (error) => isClockSkew(error),
  });
}
