import { defineCommand, malformedAnswer, requireFields, type HttpResponse } from '@provisio/core';

/**
 * One command per AWS IoT API the provider calls. Paths, methods and bindings (query, the
 * x-amzn-principal header, JSON bodies) are those of @aws-sdk/client-iot's model (restJson1);
 * `name` is the API's name, which also keys its rate limit.
 */

export interface ThingInput {
  thingName: string;
}

export interface CreatedThing {
  thingName: string;
  thingArn: string;
  thingId: string;
}

export interface DescribedThing extends CreatedThing {
  attributes: Record<string, string>;
  raw: Record<string, unknown>;
}

export interface IssuedCertificate {
  certificateArn: string;
  certificateId: string;
  certificatePem: string;
  /** Only from CreateKeysAndCertificate. */
  privateKey?: string;
}

export interface ThingConnectivity {
  connected: boolean;
  /** Epoch ms of the last connect or disconnect AWS recorded, when it has one. */
  timestamp?: number;
  disconnectReason?: string;
  raw: Record<string, unknown>;
}

/** A path segment as the SDK writes it (encodeURIComponent: "a:b" travels as "a%3Ab"). */
const seg = (value: string): string => encodeURIComponent(value);

function body(response: HttpResponse): Record<string, unknown> {
  const data = response.data;
  if (!data || typeof data !== 'object') throw malformedAnswer('AWS IoT answered without a JSON body', { requestId: response.headers['x-amzn-requestid'] });
  return data as Record<string, unknown>;
}

/** Same name and same attributes succeed again (AWS's rule); other attributes: ResourceAlreadyExists. */
export const createThing = defineCommand<ThingInput & { attributes: Record<string, string> }, CreatedThing>({
  name: 'CreateThing',
  // A repeat carries the same attributes, so AWS answers it as it answered the first.
  idempotent: true,
  serialize: (i) => ({ method: 'POST', path: `/things/${seg(i.thingName)}`, json: { attributePayload: { attributes: i.attributes } } }),
  deserialize: (r) => requireFields<CreatedThing>(body(r), ['thingName', 'thingArn', 'thingId'], 'CreateThing answer'),
});

export const describeThing = defineCommand<ThingInput, DescribedThing>({
  name: 'DescribeThing',
  idempotent: true,
  serialize: (i) => ({ method: 'GET', path: `/things/${seg(i.thingName)}` }),
  deserialize: (r) => {
    const d = requireFields<Record<string, unknown>>(body(r), ['thingName', 'thingArn', 'thingId'], 'DescribeThing answer');
    const attributes = d.attributes && typeof d.attributes === 'object' ? (d.attributes as Record<string, string>) : {};
    return { thingName: d.thingName as string, thingArn: d.thingArn as string, thingId: d.thingId as string, attributes, raw: d };
  },
});

/** Answers success for a thing that does not exist (AWS's documented behaviour). */
export const deleteThing = defineCommand<ThingInput, void>({
  name: 'DeleteThing',
  idempotent: true,
  serialize: (i) => ({ method: 'DELETE', path: `/things/${seg(i.thingName)}` }),
  deserialize: () => undefined,
});

export const listThingPrincipals = defineCommand<ThingInput & { nextToken?: string }, { principals: string[]; nextToken?: string }>({
  name: 'ListThingPrincipals',
  idempotent: true,
  serialize: (i) => ({ method: 'GET', path: `/things/${seg(i.thingName)}/principals`, query: { nextToken: i.nextToken, maxResults: 25 } }),
  deserialize: (r) => {
    const d = body(r);
    return {
      principals: Array.isArray(d.principals) ? d.principals.filter((p): p is string => typeof p === 'string') : [],
      nextToken: typeof d.nextToken === 'string' && d.nextToken ? d.nextToken : undefined,
    };
  },
});

/** The principal travels in the x-amzn-principal header (AWS's binding); attaching twice is a no-op. */
export const attachThingPrincipal = defineCommand<ThingInput & { principal: string }, void>({
  name: 'AttachThingPrincipal',
  idempotent: true,
  serialize: (i) => ({ method: 'PUT', path: `/things/${seg(i.thingName)}/principals`, headers: { 'x-amzn-principal': i.principal } }),
  deserialize: () => undefined,
});

export const detachThingPrincipal = defineCommand<ThingInput & { principal: string }, void>({
  name: 'DetachThingPrincipal',
  idempotent: true,
  serialize: (i) => ({ method: 'DELETE', path: `/things/${seg(i.thingName)}/principals`, headers: { 'x-amzn-principal': i.principal } }),
  deserialize: () => undefined,
});

/** PEM with `\n` line ends, whatever the issuer used (`\r\n` breaks tools that read it line by line). */
function pemLines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function issued(r: HttpResponse, name: string, withKey: boolean, redactor?: { add(value: string | undefined): void }): IssuedCertificate {
  const d = requireFields<Record<string, unknown>>(body(r), ['certificateArn', 'certificateId', 'certificatePem'], `${name} answer`);
  const out: IssuedCertificate = { certificateArn: d.certificateArn as string, certificateId: d.certificateId as string, certificatePem: pemLines(d.certificatePem as string) };
  if (withKey) {
    const key = requireFields<{ PrivateKey: string }>(d.keyPair, ['PrivateKey'], `${name} answer's keyPair`).PrivateKey;
    // Both forms are secret: the raw answer's and the one handed out.
    redactor?.add(key);
    out.privateKey = pemLines(key);
    redactor?.add(out.privateKey);
  }
  return out;
}

/** Each call issues a new certificate: never re-sent once it may have arrived. */
export const createKeysAndCertificate = defineCommand<Record<string, never>, IssuedCertificate>({
  name: 'CreateKeysAndCertificate',
  idempotent: false,
  serialize: () => ({ method: 'POST', path: '/keys-and-certificate', query: { setAsActive: true } }),
  deserialize: (r, _i, context) => {
    return issued(r, 'CreateKeysAndCertificate', true, context.redactor);
  },
});

export const createCertificateFromCsr = defineCommand<{ csr: string }, IssuedCertificate>({
  name: 'CreateCertificateFromCsr',
  idempotent: false,
  serialize: (i) => ({ method: 'POST', path: '/certificates', query: { setAsActive: true }, json: { certificateSigningRequest: i.csr } }),
  deserialize: (r) => issued(r, 'CreateCertificateFromCsr', false),
});

export const updateCertificate = defineCommand<{ certificateId: string; newStatus: 'ACTIVE' | 'INACTIVE' | 'REVOKED' }, void>({
  name: 'UpdateCertificate',
  idempotent: true,
  serialize: (i) => ({ method: 'PUT', path: `/certificates/${seg(i.certificateId)}`, query: { newStatus: i.newStatus } }),
  deserialize: () => undefined,
});

/** forceDelete also detaches its policies; AWS still wants it INACTIVE and attached to no thing. */
export const deleteCertificate = defineCommand<{ certificateId: string }, void>({
  name: 'DeleteCertificate',
  idempotent: true,
  doneOnRepeatIf: ['NOT_FOUND'],
  serialize: (i) => ({ method: 'DELETE', path: `/certificates/${seg(i.certificateId)}`, query: { forceDelete: true } }),
  deserialize: () => undefined,
});

export const attachPolicy = defineCommand<{ policyName: string; target: string }, void>({
  name: 'AttachPolicy',
  idempotent: true,
  serialize: (i) => ({ method: 'PUT', path: `/target-policies/${seg(i.policyName)}`, json: { target: i.target } }),
  deserialize: () => undefined,
});

/** A read, though a POST in AWS's model. */
export const getThingConnectivityData = defineCommand<ThingInput, ThingConnectivity>({
  name: 'GetThingConnectivityData',
  idempotent: true,
  serialize: (i) => ({ method: 'POST', path: `/things/${seg(i.thingName)}/connectivity-data` }),
  deserialize: (r) => {
    const d = body(r);
    return {
      connected: d.connected === true,
      // restJson1 timestamps are epoch seconds.
      timestamp: typeof d.timestamp === 'number' ? Math.round(d.timestamp * 1000) : undefined,
      disconnectReason: typeof d.disconnectReason === 'string' ? d.disconnectReason : undefined,
      raw: d,
    };
  },
});
