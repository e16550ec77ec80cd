/** OceanConnect northbound API paths (seeds 000-003 and the vendor notes). */
export const PATHS = {
  login: '/iocm/app/sec/v1.1.0/login',
  refreshToken: '/iocm/app/sec/v1.1.0/refreshToken',
  deviceCredentials: '/iocm/app/reg/v1.1.0/deviceCredentials',
  /** Password mode (MQTT devices). */
  deviceCredentialsV2: '/iocm/app/reg/v2.0.0/deviceCredentials',
  devices: '/iocm/app/dm/v1.4.0/devices',
} as const;
