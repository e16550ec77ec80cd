// Hand-written baselines: the same requests provisio sends, written directly, configured as
// provisio configures its own client (keep-alive agent with 64 sockets, no redirects, no proxy
// lookup, 10 s timeout, body read as text and parsed once). Three transports do the same work:
// axios (what provisio builds on), node:http and undici (the physical floor on this machine).
import { createHash, createHmac, randomInt } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import { Pool } from 'undici';

const require = createRequire(import.meta.url);
const TIMEOUT_MS = 10_000; // provisio's default request timeout
const agentOptions = { keepAlive: true, maxSockets: 64 }; // provisio's default agent (core/src/http/tls.ts)

function ok(status, text, what) {
  if (status < 200 || status >= 300) throw new Error(`${what}: HTTP ${status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * A transport: send(method, path, headers, body?) resolves with the parsed JSON answer.
 * `path` includes the query string; `body` is a string or undefined.
 */
export function transport(kind, baseUrl) {
  const url = new URL(baseUrl);
  if (kind === 'axios') {
    const axios = require('axios'); // the CommonJS build, as provisio loads it
    const client = axios.create({
      baseURL: baseUrl,
      httpAgent: new http.Agent(agentOptions),
      maxRedirects: 0,
      proxy: false,
      timeout: TIMEOUT_MS,
      responseType: 'text',
      transformResponse: [(d) => d],
      validateStatus: () => true,
    });
    return {
      send: async (method, path, headers, body) => {
        const res = await client.request({ method, url: path, headers, data: body });
        return ok(res.status, res.data, path);
      },
      close: () => client.defaults.httpAgent.destroy(),
    };
  }
  if (kind === 'node:http') {
    const agent = new http.Agent(agentOptions);
    return {
      send: (method, path, headers, body) =>
        new Promise((resolve, reject) => {
          const req = http.request(
            { host: url.hostname, port: url.port, method, path, agent, timeout: TIMEOUT_MS, headers: body === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) } },
            (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (d) => (text += d));
              res.on('end', () => {
                try {
                  resolve(ok(res.statusCode, text, path));
                } catch (error) {
                  reject(error);
                }
              });
            },
          );
          req.on('timeout', () => req.destroy(new Error('timeout')));
          req.on('error', reject);
          req.end(body);
        }),
      close: () => agent.destroy(),
    };
  }
  if (kind === 'undici') {
    const pool = new Pool(url.origin, { connections: 64, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
    return {
      send: async (method, path, headers, body) => {
        const res = await pool.request({ method, path, headers, body });
        return ok(res.statusCode, await res.body.text(), path);
      },
      close: () => pool.close(),
    };
  }
  throw new Error(`unknown transport ${kind}`);
}

/** Huawei OceanConnect: login once, then register (one POST) and status (two GETs at once), as HuaweiProvider does. */
export async function huaweiClient(kind, { url, appId, secret }) {
  const t = transport(kind, url);
  const login = await t.send('POST', '/iocm/app/sec/v1.1.0/login', { 'Content-Type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ appId, secret }).toString());
  const auth = { app_key: appId, Authorization: `Bearer ${login.accessToken}` };
  const json = { ...auth, 'Content-Type': 'application/json; charset=UTF-8' };
  const query = `?appId=${encodeURIComponent(appId)}`;
  return {
    register: async (nodeId) => {
      const answer = await t.send('POST', `/iocm/app/reg/v1.1.0/deviceCredentials${query}`, json, JSON.stringify({ nodeId, timeout: 0 }));
      return { deviceId: answer.deviceId, verifyCode: answer.verifyCode };
    },
    status: async (deviceId) => {
      const id = encodeURIComponent(deviceId);
      const [a, d] = await Promise.all([
        t.send('GET', `/iocm/app/reg/v1.1.0/deviceCredentials/${id}${query}`, auth),
        t.send('GET', `/iocm/app/dm/v1.4.0/devices/${id}${query}`, auth),
      ]);
      return { activated: a.activated === true || a.activated === 'true', status: d.deviceInfo?.status };
    },
    close: t.close,
  };
}

const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
/** The TC3-HMAC-SHA256 signature (Tencent Cloud API v3 signing guide), date from the timestamp. */
export function tc3Direct({ secretKey, service, host, contentType, payload, timestamp }) {
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const canonical = `POST\n/\n\ncontent-type:${contentType}\nhost:${host}\n\ncontent-type;host\n${sha256Hex(payload)}`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256Hex(canonical)}`;
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  return { date, signature: createHmac('sha256', key).update(toSign).digest('hex') };
}
/** The dynamic-registration signature (X-TC-Signature). */
export function deviceSignatureDirect({ host, timestamp, nonce, body, secret }) {
  return createHmac('sha256', secret).update(`POST\n${host}\n/device/register\n\nhmacsha256\n${timestamp}\n${nonce}\n${sha256Hex(body)}`).digest('base64');
}

/**
 * Tencent IoT Explorer: register is dynamic registration on the device gateway (signed with the
 * productSecret, answer kept sealed, as TencentProvider returns it); status is DescribeDevice on
 * Cloud API 3.0 (TC3-signed), as TencentProvider does.
 */
export function tencentClient(kind, { url, productId, productSecret, secretId, secretKey }) {
  const t = transport(kind, url);
  const host = new URL(url).hostname;
  const contentType = 'application/json; charset=utf-8';
  return {
    register: async (deviceName) => {
      const body = JSON.stringify({ ProductId: productId, DeviceName: deviceName });
      const timestamp = Math.floor(Date.now() / 1000);
      const nonce = randomInt(1, 2 ** 31 - 1);
      const answer = await t.send(
        'POST',
        '/device/register',
        {
          'Content-Type': contentType,
          'X-TC-Algorithm': 'hmacsha256',
          'X-TC-Timestamp': String(timestamp),
          'X-TC-Nonce': String(nonce),
          'X-TC-Signature': deviceSignatureDirect({ host, timestamp, nonce, body, secret: productSecret }),
        },
        body,
      );
      const r = answer.Response;
      if (r?.Error || typeof r?.Payload !== 'string') throw new Error(`register: ${JSON.stringify(r?.Error)}`);
      return { deviceId: `${productId}/${deviceName}`, payload: r.Payload, length: r.Len };
    },
    status: async (deviceId) => {
      const [p, name] = deviceId.split('/');
      const body = JSON.stringify({ ProductId: p, DeviceName: name });
      const timestamp = Math.floor(Date.now() / 1000);
      const service = 'iotexplorer';
      const { date, signature } = tc3Direct({ secretKey, service, host, contentType, payload: body, timestamp });
      const answer = await t.send(
        'POST',
        '/',
        {
          'Content-Type': contentType,
          'X-TC-Action': 'DescribeDevice',
          'X-TC-Version': '2019-04-23',
          'X-TC-Timestamp': String(timestamp),
          'X-TC-Region': 'ap-guangzhou',
          Authorization: `TC3-HMAC-SHA256 Credential=${secretId}/${date}/${service}/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`,
        },
        body,
      );
      const device = answer.Response?.Device ?? answer.Response?.Data;
      if (answer.Response?.Error || !device) throw new Error(`status: ${JSON.stringify(answer.Response?.Error)}`);
      return { status: device.Status };
    },
    close: t.close,
  };
}
