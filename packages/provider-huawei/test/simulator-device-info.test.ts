import { expect } from 'chai';
import { HuaweiSimulator } from '../src/index.js';

/**
 * Issue 13.14: the simulator takes `deviceInfo` as the platform's DeviceInfoDTO (seed 000: the
 * five product model fields and the name, String(256) each), so a caller cannot make a
 * never-activated device report ONLINE or another node id by registering those fields.
 */
describe('huawei simulator: deviceInfo is validated as the platform does', () => {
  let sim: HuaweiSimulator;
  let token: string;
  let appId: string;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(path, sim.url), {
      method,
      headers: { app_key: appId, Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json; charset=UTF-8' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as Record<string, unknown> & { deviceInfo?: Record<string, unknown> } };
  };
  const register = (body: Record<string, unknown>) => call('POST', `/iocm/app/reg/v1.1.0/deviceCredentials?appId=${appId}`, body);

  before(async () => {
    // Flow control off: this file checks the register handler's body rules, not throttling.
    sim = await HuaweiSimulator.start({ flowControl: false });
    appId = sim.apps[0]!.appId;
    const login = await fetch(new URL('/iocm/app/sec/v1.1.0/login', sim.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ appId, secret: sim.apps[0]!.secret }).toString(),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
  });
  after(async () => sim.stop());

  const refused: Array<[string, unknown]> = [
    ['a status the platform owns', { status: 'ONLINE' }],
    ['another nodeId', { nodeId: 'other' }],
    ['a statusDetail', { statusDetail: 'NONE' }],
    ['half a product model', { model: 'X1' }],
    ['a field over 256 characters', { name: 'n'.repeat(257) }],
    ['a number where a string belongs', { name: 7 }],
    ['an array instead of an object', ['ONLINE']],
  ];
  for (const [name, deviceInfo] of refused) {
    it(`refuses deviceInfo with ${name} (400 50400) and creates nothing`, async () => {
      const before = sim.stats.devices;
      const answer = await register({ nodeId: `di-${name.replace(/\W+/g, '-')}`, deviceInfo });
      expect(answer.status).to.equal(400);
      expect(answer.json.error_code).to.equal('50400');
      expect(sim.stats.devices).to.equal(before);
    });
  }

  it('a registered model and name are reported, and nodeId/status stay the platform\'s own', async () => {
    const model = { manufacturerId: 'm1', manufacturerName: 'Maker', deviceType: 'Sensor', model: 'X1', protocolType: 'CoAP', name: 'front door' };
    const answer = await register({ nodeId: 'di-model', deviceInfo: model });
    expect(answer.status).to.equal(200);
    const info = await call('GET', `/iocm/app/dm/v1.4.0/devices/${answer.json.deviceId as string}?appId=${appId}`);
    expect(info.json.deviceInfo).to.include({ ...model, nodeId: 'di-model', status: 'INACTIVE', statusDetail: 'NOT_ACTIVE' });
  });

  it('password mode (v2.0.0) refuses a status inside deviceInfo too', async () => {
    const answer = await call('POST', `/iocm/app/reg/v2.0.0/deviceCredentials?appId=${appId}`, { deviceInfo: { nodeId: 'di-pw', status: 'ONLINE' } });
    expect(answer.status).to.equal(400);
    expect(answer.json.error_code).to.equal('50400');
  });
});
