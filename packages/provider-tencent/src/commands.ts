import { defineCommand, malformedAnswer, type Command, type ErrorCode } from '@provisio/core';
import { CLOUD_API_VERSION } from './config.js';

// One command per IoT Explorer call (vendor notes): dynamic registration on the device gateway,
// and the Cloud API 3.0 actions. Whether a repeat is harmless is stated here, once.

/** The scheme name of payloads sealed by dynamic registration. */
export const TENCENT_SEALED_SCHEME = 'tencent/aes-128-cbc-zero';

/** Both faces want this Content-Type spelling in what they sign. */
const JSON_UTF8 = 'application/json; charset=utf-8';

export interface DeviceName {
  ProductId: string;
  DeviceName: string;
}

/**
 * Dynamic registration: the gateway answers a payload sealed with the productSecret. Each one
 * issues a new secret and kills the previous one: never sent twice.
 */
export const dynamicRegister = defineCommand<DeviceName, { payload: string; length: number; raw: Record<string, unknown> }>({
  name: 'device/register',
  idempotent: false,
  serialize: (input) => ({ method: 'POST', path: '/device/register', json: input, contentType: JSON_UTF8 }),
  deserialize: (response) => {
    const answer = (response.data as { Response?: { Payload?: unknown; Len?: unknown; RequestId?: string } }).Response ?? {};
    if (typeof answer.Payload !== 'string' || typeof answer.Len !== 'number') {
      throw malformedAnswer('Tencent dynamic registration answer lacks Payload/Len', { requestId: answer.RequestId });
    }
    return { payload: answer.Payload, length: answer.Len, raw: answer as Record<string, unknown> };
  },
});

/**
 * A Cloud API 3.0 action: a signed POST to "/" naming the action in X-TC-Action. Actions are all
 * POSTs, so whether one is safe to repeat is the action's, not the method's.
 */
function cloudAction<Params extends object, Output>(
  action: string,
  options: { idempotent: boolean; doneOnRepeatIf?: readonly ErrorCode[]; read(response: Record<string, unknown>): Output },
): Command<Params, Output> {
  return defineCommand<Params, Output>({
    name: action,
    idempotent: options.idempotent,
    doneOnRepeatIf: options.doneOnRepeatIf,
    serialize: (params) => ({
      method: 'POST',
      path: '/',
      headers: { 'X-TC-Action': action, 'X-TC-Version': CLOUD_API_VERSION },
      json: params,
      contentType: JSON_UTF8,
    }),
    deserialize: (response) => options.read(((response.data as { Response?: Record<string, unknown> }).Response ?? {}) as Record<string, unknown>),
  });
}

export interface CloudDevice {
  DeviceName?: string;
  /** 0 offline, 1 online, 2 query failed, 3 not activated. */
  Status?: number;
  FirstOnlineTime?: number;
  LoginTime?: number;
  EnableState?: number;
  DevicePsk?: string;
  DeviceCert?: string;
  [key: string]: unknown;
}

export const describeDevice = cloudAction<DeviceName, CloudDevice>('DescribeDevice', {
  idempotent: true,
  read: (answer) => {
    const device = (answer.Device ?? answer.Data) as CloudDevice | undefined;
    if (!device) throw malformedAnswer('DescribeDevice answer has no Device');
    return device;
  },
});

export interface CreatedDevice {
  DeviceName?: string;
  DevicePsk?: string;
  DeviceCert?: string;
  DevicePrivateKey?: string;
}

/** Creates a device; a repeat after a lost answer would meet the device it created. */
export const createDevice = cloudAction<DeviceName & { DefinedPsk?: string }, CreatedDevice>('CreateDevice', {
  idempotent: false,
  read: (answer) => (answer.Data ?? {}) as CreatedDevice,
});

/** Unregister: a repeat that finds nothing means the first delete did the job. */
export const deleteDevice = cloudAction<DeviceName, void>('DeleteDevice', {
  idempotent: true,
  doneOnRepeatIf: ['NOT_FOUND'],
  read: () => undefined,
});

/**
 * The delete inside a rekey goes out once: a delete re-sent after a lost answer could land
 * after the re-create and remove the new device.
 */
export const deleteDeviceOnce = cloudAction<DeviceName, void>('DeleteDevice', { idempotent: false, read: () => undefined });
