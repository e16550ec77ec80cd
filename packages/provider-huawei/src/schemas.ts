import type { JsonSchema } from '@provisio/core';

/** Field limits from seeds 000 and 002. */
const string256 = { type: 'string', minLength: 1, maxLength: 256 } as const;
/**
 * Text the platform stores and echoes back: no control characters (NUL, CR/LF would cut or
 * forge a header or a log line on the way) and no lone surrogates (not valid UTF-8 on the wire).
 * ajv compiles patterns with the `u` flag, so a surrogate pair is one code point and passes.
 */
const printable = { pattern: '^[^\\u0000-\\u001F\\u007F\\uD800-\\uDFFF]*$' } as const;
const text256 = { ...string256, ...printable } as const;
/** A DTLS PSK or device secret: 8-32 hexadecimal characters (seed 000). */
export const PSK_PATTERN = '^[0-9A-Fa-f]{8,32}$';
const psk = { type: 'string', pattern: PSK_PATTERN } as const;

export const MODEL_FIELDS = ['manufacturerId', 'manufacturerName', 'deviceType', 'model', 'protocolType'] as const;

const deviceInfo = {
  type: 'object',
  properties: Object.fromEntries(MODEL_FIELDS.map((field) => [field, string256])),
  // The five model fields identify a product together: one of them means all of them.
  dependentRequired: Object.fromEntries(MODEL_FIELDS.map((field) => [field, MODEL_FIELDS.filter((f) => f !== field)])),
  additionalProperties: false,
} as const;

export const huaweiRegisterSchema: JsonSchema = {
  $id: 'urn:provisio:huawei:register-request',
  type: 'object',
  properties: {
    nodeId: text256,
    productId: string256,
    name: { type: 'string', maxLength: 256, ...printable },
    verifyCode: text256,
    psk,
    vendor: {
      type: 'object',
      properties: {
        imsi: { type: 'string', minLength: 1, maxLength: 64 },
        endUserId: string256,
        isSecure: { type: 'boolean' },
        deviceInfo,
      },
      additionalProperties: false,
    },
  },
};

export const huaweiRekeySchema: JsonSchema = {
  $id: 'urn:provisio:huawei:rekey-request',
  type: 'object',
  properties: {
    nodeId: text256,
    verifyCode: text256,
    vendor: { type: 'object', additionalProperties: false },
  },
};

export const huaweiDeviceRefSchema: JsonSchema = {
  $id: 'urn:provisio:huawei:device-ref',
  type: 'object',
  properties: { deviceId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]+$' } },
};
