import type { JsonSchema } from '@provisio/core';

/** Tencent device names: `[a-zA-Z0-9:_-]{1,48}`. */
export const DEVICE_NAME_PATTERN = '^[a-zA-Z0-9:_-]{1,48}$';

export const tencentRegisterSchema: JsonSchema = {
  $id: 'urn:provisio:tencent:register-request',
  type: 'object',
  properties: {
    nodeId: { type: 'string', pattern: DEVICE_NAME_PATTERN },
    productId: { type: 'string', pattern: '^[A-Za-z0-9]{1,32}$' },
    // Tencent credentials do not expire before activation: only "never" (0) is meaningful.
    validitySeconds: { const: 0 },
    psk: { type: 'string', minLength: 8, maxLength: 64 },
    vendor: { type: 'object', additionalProperties: false },
  },
};

export const tencentRekeySchema: JsonSchema = {
  $id: 'urn:provisio:tencent:rekey-request',
  type: 'object',
  properties: {
    nodeId: { type: 'string', pattern: DEVICE_NAME_PATTERN },
    validitySeconds: { const: 0 },
    psk: { type: 'string', minLength: 8, maxLength: 64 },
    vendor: { type: 'object', additionalProperties: false },
  },
};

/** A Tencent device id is `<ProductId>/<DeviceName>`. */
export const tencentDeviceRefSchema: JsonSchema = {
  $id: 'urn:provisio:tencent:device-ref',
  type: 'object',
  properties: { deviceId: { type: 'string', pattern: '^[A-Za-z0-9]{1,32}/[a-zA-Z0-9:_-]{1,48}$' } },
};
