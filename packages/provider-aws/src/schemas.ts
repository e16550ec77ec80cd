import type { JsonSchema } from '@provisio/core';

/** AWS thing names: [a-zA-Z0-9:_-]{1,128} (CreateThing's documented pattern and length). */
export const THING_NAME_PATTERN = '^[a-zA-Z0-9:_-]{1,128}$';

/** A PKCS#10 request in PEM, as CreateCertificateFromCsr takes it. */
const csr = { type: 'string', pattern: '^\\s*-----BEGIN (NEW )?CERTIFICATE REQUEST-----[\\s\\S]+-----END (NEW )?CERTIFICATE REQUEST-----\\s*$' } as const;

/** `vendor` extras of register and rekey: which credential mode, and the device's CSR. */
const vendor = {
  type: 'object',
  properties: { credentialMode: { enum: ['keys', 'csr'] }, csr },
  additionalProperties: false,
} as const;

export const awsRegisterSchema: JsonSchema = {
  $id: 'urn:provisio:aws:register-request',
  type: 'object',
  properties: {
    nodeId: { type: 'string', pattern: THING_NAME_PATTERN },
    // AWS-issued certificates carry their own validity; there is nothing that expires before first use.
    validitySeconds: { const: 0 },
    vendor,
  },
};

export const awsRekeySchema: JsonSchema = {
  $id: 'urn:provisio:aws:rekey-request',
  type: 'object',
  properties: {
    nodeId: { type: 'string', pattern: THING_NAME_PATTERN },
    validitySeconds: { const: 0 },
    vendor,
  },
};

/** An AWS device id is the thing name. */
export const awsDeviceRefSchema: JsonSchema = {
  $id: 'urn:provisio:aws:device-ref',
  type: 'object',
  properties: { deviceId: { type: 'string', pattern: THING_NAME_PATTERN } },
};
