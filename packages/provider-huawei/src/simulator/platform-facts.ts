// What the simulator knows of OceanConnect, stated here from the seeds and vendor notes and
// never imported from the client: a wrong client constant must fail against it.

/** Northbound API routes (seeds 000-003, VENDOR-NOTES: refresh, delete, device query). */
export const ROUTES = {
  login: '/iocm/app/sec/v1.1.0/login',
  refreshToken: '/iocm/app/sec/v1.1.0/refreshToken',
  deviceCredentials: '/iocm/app/reg/v1.1.0/deviceCredentials',
  deviceCredentialsV2: '/iocm/app/reg/v2.0.0/deviceCredentials',
  devices: '/iocm/app/dm/v1.4.0/devices',
} as const;

/** A DTLS PSK or device secret: 8-32 hexadecimal characters (seed 000). */
export const PSK = /^[0-9A-Fa-f]{8,32}$/;
/** Verification-code validity when a registration gives none, in seconds (seed 000). */
export const DEFAULT_VALIDITY_SECONDS = 180;
/** Flow control per app: 100 calls per minute, then 1010009 (VENDOR-NOTES). */
export const FLOW_CONTROL = { limit: 100, intervalMs: 60_000 } as const;
/** Access-token lifetime in seconds (seed 003). */
export const TOKEN_TTL_SECONDS = 3600;
