import { selfSignedCertificate } from '@provisio/core/simulator';

/** A self-signed device certificate and key (PEM) for certificate-authenticated products; CN is ProductId + DeviceName. */
export function deviceCertificate(productId: string, deviceName: string): Promise<{ cert: string; key: string }> {
  return selfSignedCertificate(`${productId}${deviceName}`, { validityDays: 365 });
}
