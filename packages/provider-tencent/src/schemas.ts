import type { JsonSchema } from '@provisio/core';

/** IoT Explorer identifiers (vendor notes): ProductId `[A-Za-z0-9]{1,32}`, DeviceName `[a-zA-Z0-9:_-]{1,48}`. */
const PRODUCT_ID = '[A-Za-z0-9]{1,32}';
const DEVICE_NAME = '[a-zA-Z0-9:_-]{1,48}';
export const PRODUCT_ID_PATTERN = `^${PRODUCT_ID}$`;
export const DEVICE_NAME_PATTERN = `^${DEVICE_NAME}$`;

/** Device keys the caller may choose (DefinedPsk). */
const psk = { type: 'string', minLength: 8, maxLength: 64 } as const;
/** Tencent credentials do not expire before activation: only "never" (0) is meaningful. */
const validitySeconds = { const: 0 } as const;
const noVendorFields = { type: 'object', additionalProperties: false } as const;

export const tencentRegisterSchema: JsonSchema = {
  $id: 'urn:provisio:tencent:register-request',
  type: 'object',
  properties: {
    nodeId: { type: 'string', pattern: DEVICE_NAME_PATTERN },
    productId: { type: 'string', pattern: PRODUCT_ID_PATTERN },
    validitySeconds,
    psk,
    vendor: noVendorFields,
  },
};

export const tencentRekeySchema: JsonSchema = {
  $id: 'urn:provisio:tencent:rekey-request',
  type: 'object',
  properties: {
    nodeId: { type: 'string', pattern: DEVICE_NAME_PATTERN },
    validitySeconds,
    psk,
    vendor: noVendorFields,
  },
};

/** A Tencent device id is `<ProductId>/<DeviceName>`. */
export const tencentDeviceRefSchema: JsonSchema = {
  $id: 'urn:provisio:tencent:device-ref',
  type: 'object',
  properties: { deviceId: { type: 'string', pattern: `^${PRODUCT_ID}/${DEVICE_NAME}$` } },
};
