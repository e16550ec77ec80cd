import { defineCommand, malformedAnswer, requireFields, type AccessToken, type Connectivity, type Redactor, type Registration } from '@provisio/core';
import { PATHS } from './paths.js';

// One command per OceanConnect call (seeds 000-003, VENDOR-NOTES): its request, its answer,
// and whether a repeat is harmless (the HTTP client's retry policy reads it).

interface AppCredentials {
  appId: string;
  secret: string;
}

interface LoginAnswer {
  accessToken?: string;
  refreshToken?: string;
  expiresIn?: number | string;
}

function toToken(answer: LoginAnswer | undefined, redactor: Redactor): AccessToken {
  const expiresIn = Number(answer?.expiresIn ?? 3600);
  if (!answer?.accessToken || !Number.isFinite(expiresIn)) throw malformedAnswer('OceanConnect login answer has no accessToken/expiresIn');
  // Held, not added: the current tokens stay redacted however many PSKs are issued meanwhile.
  redactor.hold('huawei.accessToken', answer.accessToken);
  redactor.hold('huawei.refreshToken', answer.refreshToken);
  return { value: answer.accessToken, refreshToken: answer.refreshToken, expiresAt: Date.now() + expiresIn * 1000 };
}

/** Login (form-urlencoded, seed 003). A repeated login only replaces a token never received: safe to retry. */
export const login = defineCommand<AppCredentials, AccessToken>({
  name: 'login',
  idempotent: true,
  serialize: (app) => ({ method: 'POST', path: PATHS.login, form: { appId: app.appId, secret: app.secret }, authenticate: false }),
  deserialize: (response, _app, { redactor }) => toToken(response.data as LoginAnswer, redactor),
});

/** Refresh (JSON, VENDOR-NOTES). */
export const refreshToken = defineCommand<AppCredentials & { refreshToken?: string }, AccessToken>({
  name: 'refreshToken',
  idempotent: true,
  serialize: (input) => ({
    method: 'POST',
    path: PATHS.refreshToken,
    json: { appId: input.appId, secret: input.secret, refreshToken: input.refreshToken },
    authenticate: false,
  }),
  deserialize: (response, _input, { redactor }) => toToken(response.data as LoginAnswer, redactor),
});

export interface RegisterBody {
  nodeId: string;
  verifyCode?: string;
  timeout: number;
  psk?: string;
  isSecure?: boolean;
  imsi?: string;
  endUserId?: string;
  productId?: string;
  deviceInfo?: Record<string, string>;
}

/** Verification-code registration (v1.1.0, seed 000). Not idempotent: a repeat could register twice. */
export const registerDevice = defineCommand<{ appId: string; body: RegisterBody }, Registration>({
  name: 'POST deviceCredentials',
  idempotent: false,
  serialize: ({ appId, body }) => ({ method: 'POST', path: PATHS.deviceCredentials, query: { appId }, json: body }),
  deserialize: (response, { body }, { redactor }) => {
    const answer = requireFields<{ deviceId: string; verifyCode: string; psk?: string; timeout?: number }>(
      response.data,
      ['deviceId', 'verifyCode'],
      'OceanConnect register answer',
    );
    redactor.add(answer.psk);
    return {
      deviceId: answer.deviceId,
      nodeId: body.nodeId,
      credentials: { kind: 'verification-code', verifyCode: answer.verifyCode, psk: answer.psk, validitySeconds: answer.timeout ?? body.timeout },
      raw: answer as unknown as Record<string, unknown>,
    };
  },
});

/** Password-mode registration (v2.0.0): `deviceInfo{nodeId,...}`, `productId`, optional `secret`. */
export const registerDeviceWithPassword = defineCommand<
  { appId: string; nodeId: string; deviceInfo: Record<string, string>; productId?: string; secret?: string },
  Registration
>({
  name: 'POST deviceCredentials v2',
  idempotent: false,
  serialize: (input) => ({
    method: 'POST',
    path: PATHS.deviceCredentialsV2,
    query: { appId: input.appId },
    json: { deviceInfo: { ...input.deviceInfo, nodeId: input.nodeId }, productId: input.productId, secret: input.secret },
  }),
  deserialize: (response, input, { redactor }) => {
    const answer = requireFields<{ deviceId: string; secret: string }>(response.data, ['deviceId', 'secret'], 'OceanConnect register answer');
    redactor.add(answer.secret);
    return {
      deviceId: answer.deviceId,
      nodeId: input.nodeId,
      credentials: { kind: 'psk', psk: answer.secret, encoding: 'utf8' },
      raw: { deviceId: answer.deviceId },
    };
  },
});

export interface DeviceInfo {
  deviceId?: string;
  deviceInfo?: { nodeId?: string; status?: string; name?: string };
}

/** Batch device query (no nodeId filter): one page, pageNo from 0, pageSize up to 250. */
export const queryDevices = defineCommand<{ appId: string; pageNo: number; pageSize: number }, { totalCount: number; devices: DeviceInfo[] }>({
  name: 'GET devices',
  idempotent: true,
  serialize: (input) => ({ method: 'GET', path: PATHS.devices, query: { appId: input.appId, pageNo: input.pageNo, pageSize: input.pageSize } }),
  deserialize: (response) => {
    const page = (response.data ?? {}) as { totalCount?: number; devices?: DeviceInfo[] };
    return { totalCount: Number(page.totalCount ?? 0), devices: page.devices ?? [] };
  },
});

const devicePath = (base: string, deviceId: string) => `${base}/${encodeURIComponent(deviceId)}`;

/** Activation state (seed 001). */
export const queryActivation = defineCommand<{ appId: string; deviceId: string }, { activated: boolean; raw: unknown }>({
  name: 'GET deviceCredentials',
  idempotent: true,
  serialize: (input) => ({ method: 'GET', path: devicePath(PATHS.deviceCredentials, input.deviceId), query: { appId: input.appId } }),
  deserialize: (response) => {
    const activated = (response.data as { activated?: unknown } | undefined)?.activated;
    return { activated: activated === true || activated === 'true', raw: response.data };
  },
});

const CONNECTIVITY: Record<string, Connectivity> = {
  ONLINE: 'online',
  OFFLINE: 'offline',
  ABNORMAL: 'abnormal',
  INACTIVE: 'offline', // registered, never connected
};

/** One device's information (device query): node id and connectivity. */
export const queryDevice = defineCommand<{ appId: string; deviceId: string }, { nodeId: string; connectivity: Connectivity; raw: unknown }>({
  name: 'GET device',
  idempotent: true,
  serialize: (input) => ({ method: 'GET', path: devicePath(PATHS.devices, input.deviceId), query: { appId: input.appId } }),
  deserialize: (response) => {
    const info = ((response.data ?? {}) as DeviceInfo).deviceInfo;
    return { nodeId: info?.nodeId ?? '', connectivity: CONNECTIVITY[info?.status ?? ''] ?? 'unknown', raw: response.data };
  },
});

/** A new verification code (seed 002). A repeat issues yet another code and answers it: harmless. */
export const refreshDeviceKey = defineCommand<
  { appId: string; deviceId: string; nodeId?: string; verifyCode?: string; timeout: number },
  { verifyCode: string; timeout?: number; raw: Record<string, unknown> }
>({
  name: 'PUT deviceCredentials',
  idempotent: true,
  serialize: (input) => ({
    method: 'PUT',
    path: devicePath(PATHS.deviceCredentials, input.deviceId),
    query: { appId: input.appId },
    json: { nodeId: input.nodeId, verifyCode: input.verifyCode, timeout: input.timeout },
  }),
  deserialize: (response) => {
    const answer = requireFields<{ verifyCode: string; timeout?: number }>(response.data, ['verifyCode'], 'OceanConnect rekey answer');
    return { ...answer, raw: answer as unknown as Record<string, unknown> };
  },
});

/** Delete (204). A repeat after a lost answer that finds nothing means the first one deleted it. */
export const deleteDevice = defineCommand<{ appId: string; deviceId: string; cascade: boolean }, unknown>({
  name: 'DELETE device',
  idempotent: true,
  doneOnRepeatIf: ['NOT_FOUND'],
  serialize: (input) => ({ method: 'DELETE', path: devicePath(PATHS.devices, input.deviceId), query: { appId: input.appId, cascade: input.cascade } }),
});
