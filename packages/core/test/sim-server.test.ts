import { expect } from 'chai';
import { SimServer } from '../src/simulator/index.js';

describe('simulator kit: the fault control route', () => {
  let server: SimServer;
  let url: string;
  before(async () => {
    server = new SimServer({
      handle: () => ({ status: 200, body: { ok: true } }),
      vendorFault: (f) => ({ status: f.status ?? 400, body: { code: f.code } }),
    });
    url = await server.start();
  });
  after(async () => server.stop());

  const post = async (body: string) => {
    const res = await fetch(`${url}/__sim/faults`, { method: 'POST', body });
    return { status: res.status, json: (await res.json()) as { error?: string; queued?: number } };
  };

  it('an unknown or missing kind, or a body that is not JSON, is a 400 naming the known kinds; nothing is queued', async () => {
    for (const body of ['{"kind":"explode"}', '{"path":"x"}', '[{"kind":"drop"},{"kind":"nope"}]', 'null', '{not json']) {
      const answer = await post(body);
      expect(answer.status, body).to.equal(400);
      expect(answer.json.error, body).to.be.a('string');
    }
    expect((await post('{"kind":"explode"}')).json.error).to.include('lost-answer');
    expect(server.faults.size).to.equal(0);
    const ok = await post('{"kind":"status","status":503}');
    expect(ok).to.deep.equal({ status: 201, json: { queued: 1 } });
    expect((await fetch(`${url}/anything`)).status).to.equal(503);
  });
});
