import { CREDENTIAL_KINDS } from '../contract/credentials.js';
import { OPERATIONS } from '../contract/capabilities.js';
import type { JsonSchema } from './validator.js';

/**
 * Core schemas: the shape every provider accepts. Providers narrow them with their own
 * schema (lengths, patterns) and validate `vendor` extras.
 */
const nonEmpty = { type: 'string', minLength: 1 } as const;
const vendorExtras = { type: 'object' } as const;
const validitySeconds = { type: 'integer', minimum: 0, maximum: 2147483647 } as const;

export const deviceRefSchema: JsonSchema = {
  $id: 'urn:provisio:core:device-ref',
  type: 'object',
  required: ['deviceId'],
  properties: { deviceId: { ...nonEmpty, maxLength: 256 } },
  additionalProperties: false,
};

export const registerRequestSchema: JsonSchema = {
  $id: 'urn:provisio:core:register-request',
  type: 'object',
  required: ['nodeId'],
  properties: {
    nodeId: nonEmpty,
    productId: nonEmpty,
    name: { type: 'string' },
    verifyCode: nonEmpty,
    psk: nonEmpty,
    validitySeconds,
    vendor: vendorExtras,
  },
  additionalProperties: false,
};

export const lookupRequestSchema: JsonSchema = {
  $id: 'urn:provisio:core:lookup-request',
  type: 'object',
  required: ['nodeId'],
  properties: { nodeId: nonEmpty },
  additionalProperties: false,
};

export const rekeyRequestSchema: JsonSchema = {
  $id: 'urn:provisio:core:rekey-request',
  type: 'object',
  properties: {
    nodeId: nonEmpty,
    verifyCode: nonEmpty,
    psk: nonEmpty,
    validitySeconds,
    vendor: vendorExtras,
  },
  additionalProperties: false,
};

export const credentialsSchema: JsonSchema = {
  $id: 'urn:provisio:core:credentials',
  type: 'object',
  required: ['kind'],
  properties: { kind: { type: 'string' } },
  // The discriminator makes ajv report the failing field of the right branch, not of the first.
  discriminator: { propertyName: 'kind' },
  oneOf: [
    {
      properties: {
        kind: { const: 'sealed' },
        scheme: nonEmpty,
        payload: nonEmpty,
        length: { type: 'integer', minimum: 0 },
        productId: { type: 'string' },
      },
      required: ['kind', 'scheme', 'payload', 'length'],
      additionalProperties: false,
    },
    {
      properties: { kind: { const: 'psk' }, psk: nonEmpty, encoding: { enum: ['hex', 'base64', 'utf8'] } },
      required: ['kind', 'psk', 'encoding'],
      additionalProperties: false,
    },
    {
      properties: { kind: { const: 'x509' }, certificate: nonEmpty, privateKey: nonEmpty },
      required: ['kind', 'certificate'],
      additionalProperties: false,
    },
    {
      properties: {
        kind: { const: 'verification-code' },
        verifyCode: nonEmpty,
        psk: { type: 'string' },
        validitySeconds,
      },
      required: ['kind', 'verifyCode'],
      additionalProperties: false,
    },
  ],
};

const operationFlags = Object.fromEntries(OPERATIONS.map((op) => [op, { type: 'boolean' }]));

/** A capabilities manifest: unknown keys are refused (a typo must not silently skip tests). */
export const capabilitiesSchema: JsonSchema = {
  $id: 'urn:provisio:core:capabilities',
  type: 'object',
  required: ['operations', 'credentialKinds', 'sealedCredentials', 'rekeyRequiresOffline', 'connectivity'],
  properties: {
    operations: {
      type: 'object',
      required: [...OPERATIONS],
      properties: operationFlags,
      additionalProperties: false,
    },
    credentialKinds: { type: 'array', items: { enum: [...CREDENTIAL_KINDS] }, uniqueItems: true },
    sealedCredentials: { type: 'boolean' },
    rekeyRequiresOffline: { type: 'boolean' },
    connectivity: { type: 'boolean' },
    rekeyScope: { enum: ['any', 'activated', 'never-activated'] },
    registerRefusesExisting: { enum: ['always', 'once-activated'] },
    flowControl: {
      type: 'object',
      required: ['limit', 'intervalMs'],
      properties: { limit: { type: 'integer', minimum: 1 }, intervalMs: { type: 'number', exclusiveMinimum: 0 } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

/**
 * Config fragments every provider's config schema reuses, so TLS, retry and rate-limit
 * settings read the same on every cloud. Key material and passphrases are `writeOnly`.
 */
const secretText = { type: 'string', minLength: 1, writeOnly: true } as const;

export const tlsOptionsSchema: JsonSchema = {
  type: 'object',
  properties: {
    ca: { type: 'string', minLength: 1 },
    caFile: { type: 'string', minLength: 1 },
    cert: { type: 'string', minLength: 1 },
    certFile: { type: 'string', minLength: 1 },
    key: secretText,
    keyFile: { type: 'string', minLength: 1 },
    pfx: secretText,
    pfxFile: { type: 'string', minLength: 1 },
    passphrase: secretText,
    rejectUnauthorized: { type: 'boolean' },
    verifyHostname: { type: 'boolean' },
    servername: { type: 'string', minLength: 1 },
  },
  additionalProperties: false,
};

export const retryOptionsSchema: JsonSchema = {
  type: 'object',
  properties: {
    maxAttempts: { type: 'integer', minimum: 1, maximum: 10 },
    baseDelayMs: { type: 'number', minimum: 0 },
    maxDelayMs: { type: 'number', minimum: 0 },
    maxRetryAfterMs: { type: 'number', minimum: 0 },
  },
  additionalProperties: false,
};

/** A rate limit, or `false` for none. */
export const rateLimitSchema: JsonSchema = {
  oneOf: [
    { const: false },
    {
      type: 'object',
      required: ['limit', 'intervalMs'],
      properties: {
        limit: { type: 'integer', minimum: 1 },
        intervalMs: { type: 'number', exclusiveMinimum: 0 },
        marginMs: { type: 'number', minimum: 0 },
      },
      additionalProperties: false,
    },
  ],
};
