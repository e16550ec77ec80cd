import { defineCommand, requireFields, type AccessToken, type Connectivity } from '@provisio/core';

// One command per ThingsBoard REST call the provider makes (ThingsBoard CE REST API).

/** Seconds of a JWT's `exp` claim, read without verifying (the server verifies). */
function jwtExpiry(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    return (payload.exp ?? 0) * 1000;
  } catch {
    return 0;
  }
}

/** Login and refresh answer the same token pair. A repeat only replaces a token never received. */
function tokenCommand<Input extends object>(path: string) {
  return defineCommand<Input, AccessToken>({
    name: `POST ${path}`,
    idempotent: true,
    serialize: (body) => ({ method: 'POST', path, json: body, authenticate: false }),
    deserialize: (response, _input, { redactor }) => {
      const { token, refreshToken } = requireFields<{ token: string; refreshToken: string }>(response.data, ['token', 'refreshToken'], 'ThingsBoard login answer');
      // Held, not added: the current session tokens stay redacted however many device tokens follow.
      redactor.hold('thingsboard.token', token);
      redactor.hold('thingsboard.refreshToken', refreshToken);
      return { value: token, refreshToken, expiresAt: jwtExpiry(token) };
    },
  });
}

export const login = tokenCommand<{ username: string; password: string }>('/api/auth/login');
export const refreshToken = tokenCommand<{ refreshToken: string }>('/api/auth/token');

const deviceId = (response: { data: unknown }) => (response.data as { id: { id: string } }).id.id;
const devicePath = (id: string) => `/api/device/${encodeURIComponent(id)}`;

/** Creates a device with the access token it will connect with. Not idempotent: a repeat would meet a duplicate. */
export const createDevice = defineCommand<{ name: string; type: string; label?: string; accessToken: string }, string>({
  name: 'POST /api/device',
  idempotent: false,
  serialize: (input) => ({ method: 'POST', path: '/api/device', query: { accessToken: input.accessToken }, json: { name: input.name, type: input.type, label: input.label } }),
  deserialize: deviceId,
});

export const findDeviceByName = defineCommand<{ name: string }, string>({
  name: 'GET /api/tenant/devices',
  idempotent: true,
  serialize: (input) => ({ method: 'GET', path: '/api/tenant/devices', query: { deviceName: input.name } }),
  deserialize: deviceId,
});

export const getDevice = defineCommand<{ id: string }, { name: string }>({
  name: 'GET /api/device/{id}',
  idempotent: true,
  serialize: (input) => ({ method: 'GET', path: devicePath(input.id) }),
});

/** The server-scope attributes `active` and `lastConnectTime`. */
export const getActivity = defineCommand<{ id: string }, { activated: boolean; connectivity: Connectivity; raw: Record<string, unknown> }>({
  name: 'GET attributes/SERVER_SCOPE',
  idempotent: true,
  serialize: (input) => ({
    method: 'GET',
    path: `/api/plugins/telemetry/DEVICE/${encodeURIComponent(input.id)}/values/attributes/SERVER_SCOPE`,
    query: { keys: 'active,lastConnectTime' },
  }),
  deserialize: (response) => {
    const values = Object.fromEntries(((response.data ?? []) as Array<{ key: string; value: unknown }>).map((a) => [a.key, a.value]));
    return { activated: Number(values.lastConnectTime ?? 0) > 0, connectivity: values.active === true ? 'online' : 'offline', raw: values };
  },
});

export const getCredentials = defineCommand<{ id: string }, Record<string, unknown>>({
  name: 'GET /api/device/{id}/credentials',
  idempotent: true,
  serialize: (input) => ({ method: 'GET', path: `${devicePath(input.id)}/credentials` }),
});

/** Sets the device's access token; sending the same token twice leaves the same state. */
export const saveAccessToken = defineCommand<{ current: Record<string, unknown>; accessToken: string }, unknown>({
  name: 'POST /api/device/credentials',
  idempotent: true,
  serialize: (input) => ({ method: 'POST', path: '/api/device/credentials', json: { ...input.current, credentialsType: 'ACCESS_TOKEN', credentialsId: input.accessToken } }),
});

export const deleteDevice = defineCommand<{ id: string }, unknown>({
  name: 'DELETE /api/device/{id}',
  idempotent: true,
  serialize: (input) => ({ method: 'DELETE', path: devicePath(input.id) }),
});
