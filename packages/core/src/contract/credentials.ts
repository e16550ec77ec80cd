/** The kinds of device credentials a cloud can issue. */
export const CREDENTIAL_KINDS = ['psk', 'x509', 'verification-code'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** A pre-shared key, as the device will use it. */
export interface PskCredentials {
  kind: 'psk';
  psk: string;
  /** How `psk` is written: Tencent hands out base64, Huawei hex. */
  encoding: 'hex' | 'base64' | 'utf8';
}

/**
 * An X.509 client certificate and its private key, both PEM. `privateKey` is absent when the key
 * never left the device (the cloud signed the device's CSR, e.g. AWS CreateCertificateFromCsr).
 */
export interface X509Credentials {
  kind: 'x509';
  certificate: string;
  privateKey?: string;
}

/** A verification code (Huawei verification-code mode), optionally with the DTLS PSK. */
export interface VerificationCodeCredentials {
  kind: 'verification-code';
  verifyCode: string;
  psk?: string;
  /** Seconds the code stays valid before the cloud deletes an unactivated registration; 0 = never. */
  validitySeconds?: number;
}

/** Credentials in the clear. */
export type DeviceCredentials = PskCredentials | X509Credentials | VerificationCodeCredentials;

/**
 * Credentials the cloud encrypted for the device (Tencent dynamic registration).
 * Kept exactly as returned so an application can pass them on without decrypting.
 */
export interface SealedCredentials {
  kind: 'sealed';
  /** Which provider's scheme sealed it, e.g. "tencent/aes-128-cbc-zero". */
  scheme: string;
  /** The payload exactly as the cloud returned it (base64 text). */
  payload: string;
  /** The plaintext length the cloud declared (`Len`). */
  length: number;
  /** Which product/device it belongs to, so the right key can be found later. */
  productId?: string;
}

export function isSealed(credentials: DeviceCredentials | SealedCredentials): credentials is SealedCredentials {
  return credentials.kind === 'sealed';
}
