// The hand-written baselines: the same OceanConnect requests written directly with axios and
// with node:http, as an application would without provisio.
import axios from 'axios';
import http from 'node:http';

export async function rawLogin(baseUrl, appId, secret) {
  const res = await axios.post(`${baseUrl}/iocm/app/sec/v1.1.0/login`, new URLSearchParams({ appId, secret }).toString(), {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return res.data.accessToken;
}

export function axiosClient(baseUrl, appId, token) {
  const client = axios.create({ baseURL: baseUrl, httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) });
  const headers = { app_key: appId, Authorization: `Bearer ${token}` };
  return {
    register: async (nodeId) =>
      (await client.post(`/iocm/app/reg/v1.1.0/deviceCredentials?appId=${appId}`, { nodeId, timeout: 0 }, { headers: { ...headers, 'Content-Type': 'application/json; charset=UTF-8' } })).data,
    // provisio's status is two reads (activation + connectivity); the baseline makes the same two.
    status: async (deviceId) => {
      const [a, d] = await Promise.all([
        client.get(`/iocm/app/reg/v1.1.0/deviceCredentials/${deviceId}?appId=${appId}`, { headers }),
        client.get(`/iocm/app/dm/v1.4.0/devices/${deviceId}?appId=${appId}`, { headers }),
      ]);
      return { activated: a.data.activated, status: d.data.deviceInfo.status };
    },
  };
}

export function nodeHttpClient(baseUrl, appId, token) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const send = (method, path, body) =>
    new Promise((resolve, reject) => {
      const payload = body ? JSON.stringify(body) : undefined;
      const req = http.request(
        {
          host: url.hostname, port: url.port, method, path, agent,
          headers: { app_key: appId, Authorization: `Bearer ${token}`, ...(payload ? { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(payload) } : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve(JSON.parse(text)));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return {
    register: (nodeId) => send('POST', `/iocm/app/reg/v1.1.0/deviceCredentials?appId=${appId}`, { nodeId, timeout: 0 }),
    status: async (deviceId) => {
      const [a, d] = await Promise.all([
        send('GET', `/iocm/app/reg/v1.1.0/deviceCredentials/${deviceId}?appId=${appId}`),
        send('GET', `/iocm/app/dm/v1.4.0/devices/${deviceId}?appId=${appId}`),
      ]);
      return { activated: a.activated, status: d.deviceInfo.status };
    },
  };
}
