/** The AWS IoT control-plane APIs this provider calls (each one is throttled on its own by AWS). */
export const AWS_APIS = [
  'CreateThing',
  'DescribeThing',
  'DeleteThing',
  'AttachThingPrincipal',
  'DetachThingPrincipal',
  'ListThingPrincipals',
  'CreateKeysAndCertificate',
  'CreateCertificateFromCsr',
  'UpdateCertificate',
  'DeleteCertificate',
  'AttachPolicy',
  'GetThingConnectivityData',
] as const;

export type AwsApi = (typeof AWS_APIS)[number];
