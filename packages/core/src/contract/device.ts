import type { DeviceCredentials, SealedCredentials } from './credentials.js';

/** Identifies a device already known to a cloud. `deviceId` is what `register` returned. */
export interface DeviceRef {
  deviceId: string;
}

/** Finds a device by the identifier it was registered with. */
export interface LookupRequest {
  nodeId: string;
}

/**
 * A request to create a device identity. The common fields mean the same on every cloud;
 * `vendor` carries provider-specific extras, validated by that provider's own schema.
 */
export interface RegisterRequest {
  /** The device's own identifier (IMEI, serial, MAC, Tencent DeviceName). */
  nodeId: string;
  /** The product/model the device belongs to. */
  productId?: string;
  /** A human-readable name. */
  name?: string;
  /** A verification code to use instead of a generated one. */
  verifyCode?: string;
  /** A pre-shared key to use instead of a generated one. */
  psk?: string;
  /** How long the credentials stay valid before first activation, in seconds; 0 = never expires. */
  validitySeconds?: number;
  /** Provider-specific fields (see each provider's documentation). */
  vendor?: Record<string, unknown>;
}

/** A request to give an existing device new credentials (and optionally a new node id). */
export interface RekeyRequest {
  nodeId?: string;
  verifyCode?: string;
  psk?: string;
  validitySeconds?: number;
  vendor?: Record<string, unknown>;
}

/** What `register` and `rekey` return. */
export interface Registration {
  /** The platform's id for the device; pass it back as `DeviceRef.deviceId`. */
  deviceId: string;
  nodeId: string;
  credentials: DeviceCredentials | SealedCredentials;
  /** The vendor's answer, secrets included: treat like the credentials themselves. */
  raw?: Record<string, unknown>;
}

export type Connectivity = 'online' | 'offline' | 'abnormal' | 'unknown';

/** Activation and connectivity of a device, with the vendor's raw fields kept aside. */
export interface DeviceStatus {
  deviceId: string;
  /** Has the device ever connected (Huawei "activated", Tencent status != 3). */
  activated: boolean;
  connectivity: Connectivity;
  raw: Record<string, unknown>;
}
