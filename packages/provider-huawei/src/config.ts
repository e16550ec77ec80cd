import { clientConfigProperties, type ClientConfig, type JsonSchema, type RateLimitOptions } from '@provisio/core';

/** Configuration of one OceanConnect application (one provider instance). */
export interface HuaweiConfig extends ClientConfig {
  /** e.g. "https://iot.example.com:8743" (the northbound API root). */
  baseUrl: string;
  appId: string;
  secret: string;
  /** Verification-code validity (seconds) when a request gives none; the platform default. */
  defaultValiditySeconds?: number;
  /** Renew the access token this many seconds before it expires. Default 300. */
  refreshAheadSeconds?: number;
  /** Delete the device's children too (DELETE ...?cascade=). Default true, as the platform. */
  deleteCascade?: boolean;
  /**
   * `verification-code` (default, v1.1.0, LWM2M/CoAP devices) or `password` (v2.0.0, MQTT
   * devices: the credential is a device secret; refreshing it is not offered, so no rekey).
   */
  registerMode?: 'verification-code' | 'password';
}

/** OceanConnect's flow control: 100 calls per minute per app (VENDOR-NOTES). */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 100, intervalMs: 60_000 };
/** Verification-code validity the platform applies when a registration gives none (seed 000). */
export const DEFAULT_VALIDITY_SECONDS = 180;

const secret = { type: 'string', minLength: 1, writeOnly: true } as const;
const text = { type: 'string', minLength: 1 } as const;

export const huaweiConfigSchema: JsonSchema = {
  $id: 'urn:provisio:huawei:config',
  type: 'object',
  required: ['baseUrl', 'appId', 'secret'],
  properties: {
    baseUrl: { type: 'string', pattern: '^https?://[^\\s/]+' },
    appId: { ...text, maxLength: 256 },
    secret: { ...secret, maxLength: 256 },
    ...clientConfigProperties,
    defaultValiditySeconds: { type: 'integer', minimum: 0, maximum: 2147483647 },
    refreshAheadSeconds: { type: 'integer', minimum: 0 },
    deleteCascade: { type: 'boolean' },
    registerMode: { enum: ['verification-code', 'password'] },
  },
  additionalProperties: false,
};
