import { clientConfigProperties, type ClientConfig, type JsonSchema, type RateLimitOptions } from '@provisio/core';
import { PRODUCT_ID_PATTERN } from './schemas.js';
import type { DeviceSignatureMethod } from './signing/device-signature.js';

/** Configuration of one IoT Explorer product (one provider instance). */
export interface TencentConfig extends ClientConfig {
  /** The product every device of this instance belongs to. */
  productId: string;
  /** Enables dynamic registration and payload decryption. */
  productSecret?: string;
  /** Authentication type of the product: what credentials its devices get. Default "psk". */
  authType?: 'psk' | 'certificate';
  /** Default {@link DEFAULT_REGION}. */
  region?: string;
  /** Device gateway (dynamic registration); default https://<region>.gateway.tencentdevices.com */
  gatewayUrl?: string;
  /** Host name to sign for the gateway; default the gateway URL's host without port. */
  gatewaySignHost?: string;
  signatureMethod?: DeviceSignatureMethod;
  /** Cloud API 3.0 keys: enable status, unregister, rekey and application-side registration. */
  cloudApi?: {
    secretId: string;
    secretKey: string;
    /** Default {@link CLOUD_API_ENDPOINT}. */
    endpoint?: string;
    /** Region sent in X-TC-Region; default `region`. */
    region?: string;
  };
  /** How `register` creates devices: dynamic registration (sealed credentials) or CreateDevice (plain). */
  registerMode?: 'dynamic' | 'create-device';
  rekey?: {
    /**
     * Opt-in: rekey a device that has connected by deleting and re-creating it with a new PSK.
     * This drops its cloud-side history, so it is off unless set (and only done while offline).
     */
    recreateActivatedDevices?: boolean;
  };
}

/** Cloud API 3.0 allows 20 requests per second per action by default. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 20, intervalMs: 1000 };
export const DEFAULT_REGION = 'ap-guangzhou';
export const CLOUD_API_ENDPOINT = 'https://iotexplorer.tencentcloudapi.com';
export const CLOUD_API_SERVICE = 'iotexplorer';
export const CLOUD_API_VERSION = '2019-04-23';

/** The device gateway of a region. */
export function gatewayUrlOf(region: string): string {
  return `https://${region}.gateway.tencentdevices.com`;
}

const secret = { type: 'string', minLength: 1, writeOnly: true } as const;
const url = { type: 'string', pattern: '^https?://[^\\s/]+' } as const;
const region = { type: 'string', pattern: '^[a-z]{2,}-[a-z]+(-[a-z0-9]+)*$' } as const;

export const tencentConfigSchema: JsonSchema = {
  $id: 'urn:provisio:tencent:config',
  type: 'object',
  required: ['productId'],
  properties: {
    productId: { type: 'string', pattern: PRODUCT_ID_PATTERN },
    productSecret: { ...secret, minLength: 16 },
    authType: { enum: ['psk', 'certificate'] },
    region,
    gatewayUrl: url,
    gatewaySignHost: { type: 'string', minLength: 1 },
    signatureMethod: { enum: ['hmacsha256', 'hmacsha1'] },
    cloudApi: {
      type: 'object',
      required: ['secretId', 'secretKey'],
      properties: {
        secretId: { type: 'string', minLength: 1 },
        secretKey: secret,
        endpoint: url,
        region,
      },
      additionalProperties: false,
    },
    registerMode: { enum: ['dynamic', 'create-device'] },
    rekey: {
      type: 'object',
      properties: { recreateActivatedDevices: { type: 'boolean' } },
      additionalProperties: false,
    },
    ...clientConfigProperties,
  },
  additionalProperties: false,
};
