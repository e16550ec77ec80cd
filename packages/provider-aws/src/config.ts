import { rateLimitSchema, retryOptionsSchema, tlsOptionsSchema, type JsonSchema, type RateLimitOptions, type RetryOptions, type TlsOptions } from '@provisio/core';
import { AWS_APIS, type AwsApi } from './commands/apis.js';

/** How `register`/`rekey` obtain a certificate. */
export type CredentialMode = 'keys' | 'csr';

/** Configuration of one AWS account and region (one provider instance). */
export interface AwsConfig {
  /** AWS region, e.g. "eu-west-1". Default "us-east-1". */
  region?: string;
  /** Control-plane endpoint; default https://iot.<region>.amazonaws.com (a simulator's URL in tests). */
  endpoint?: string;
  /** Static IAM credentials; write them as `${AWS_ACCESS_KEY_ID}` references in a config file. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** The IoT policy attached to every certificate this instance issues (it must exist). */
  policyName: string;
  /**
   * `keys` (default): CreateKeysAndCertificate, AWS makes the key pair and returns certificate +
   * private key. `csr`: CreateCertificateFromCsr, the caller passes `vendor.csr` and the private
   * key never leaves the device; the credentials carry the certificate only.
   */
  credentialMode?: CredentialMode;
  /**
   * Calls per second per API (AWS throttles each control-plane API on its own). Default: AWS's
   * published per-account limits (DEFAULT_API_TPS); entries given here replace those; `false` none.
   */
  apiRateLimits?: Partial<Record<AwsApi, number>> | false;
  /** One limit across all APIs on top of the per-API ones; default none. */
  rateLimit?: RateLimitOptions | false;
  tls?: TlsOptions;
  timeoutMs?: number;
  retry?: RetryOptions;
}

/** The signing name of the AWS IoT control plane. */
export const IOT_SIGNING_SERVICE = 'iot';
export const DEFAULT_REGION = 'us-east-1';

/** AWS IoT's control-plane endpoint for a region (the China regions live under amazonaws.com.cn). */
export function defaultEndpoint(region: string): string {
  return `https://iot.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/**
 * AWS IoT Core's default per-account API rate limits (transactions per second), as published in
 * the Service Quotas catalogue for "iotcore" (quota names "<API> API TPS"):
 * CreateThing L-64CBACAC 100, DescribeThing L-0EF0F5EE 350, DeleteThing L-889800F7 100,
 * AttachThingPrincipal L-F64D1AA6 100, DetachThingPrincipal L-B5EE4A16 100,
 * ListThingPrincipals L-FC3EF4D9 10.
 * The certificate and policy APIs (CreateKeysAndCertificate L-40B55430, CreateCertificateFromCsr
 * L-01BCDDCA, ...) are listed there without a value in the copy we could consult: they get 10, the
 * lowest default of the table, until a user with the console's number sets `apiRateLimits`.
 */
export const DEFAULT_API_TPS: Readonly<Record<AwsApi, number>> = {
  CreateThing: 100,
  DescribeThing: 350,
  DeleteThing: 100,
  AttachThingPrincipal: 100,
  DetachThingPrincipal: 100,
  ListThingPrincipals: 10,
  CreateKeysAndCertificate: 10,
  CreateCertificateFromCsr: 10,
  UpdateCertificate: 10,
  DeleteCertificate: 10,
  AttachPolicy: 10,
  GetThingConnectivityData: 10,
};

/**
 * The tightest per-API budget the instance works under (per second): what the manifest states as
 * its flow control, so a live conformance run plans its time by the slowest API it goes through.
 */
export function tightestApiLimit(config: Pick<AwsConfig, 'apiRateLimits'>): { limit: number; intervalMs: number } | false {
  if (config.apiRateLimits === false) return false;
  const table: Record<string, number> = { ...DEFAULT_API_TPS, ...config.apiRateLimits };
  return { limit: Math.min(...Object.values(table)), intervalMs: 1000 };
}

const REGION = '^[a-z]{2}(-[a-z]+)+-\\d+$';
const secret = { type: 'string', minLength: 1, writeOnly: true } as const;

export const awsConfigSchema: JsonSchema = {
  $id: 'urn:provisio:aws:config',
  type: 'object',
  required: ['credentials', 'policyName'],
  properties: {
    region: { type: 'string', pattern: REGION },
    endpoint: { type: 'string', pattern: '^https?://[^\\s/]+' },
    credentials: {
      type: 'object',
      required: ['accessKeyId', 'secretAccessKey'],
      properties: {
        accessKeyId: { type: 'string', pattern: '^[A-Z0-9]{16,128}$' },
        secretAccessKey: secret,
        sessionToken: secret,
      },
      additionalProperties: false,
    },
    // AWS IoT policy names: [\w+=,.@-]{1,128}.
    policyName: { type: 'string', pattern: '^[\\w+=,.@-]{1,128}$' },
    credentialMode: { enum: ['keys', 'csr'] },
    apiRateLimits: {
      oneOf: [
        { const: false },
        {
          type: 'object',
          properties: Object.fromEntries(AWS_APIS.map((api) => [api, { type: 'number', exclusiveMinimum: 0 }])),
          additionalProperties: false,
        },
      ],
    },
    rateLimit: rateLimitSchema,
    tls: tlsOptionsSchema,
    timeoutMs: { type: 'integer', minimum: 1 },
    retry: retryOptionsSchema,
  },
  additionalProperties: false,
};
