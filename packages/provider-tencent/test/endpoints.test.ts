// The defaults that point a config without URLs at the real cloud. The expected values come from
// the vendor documentation and are written here, never read from the client's constants.
import { expect } from 'chai';
import nock from 'nock';
import { Provisioner } from '@provisio/core';
import tencentPlugin from '../src/index.js';

describe('tencent: default endpoints, region, API version and service (vendor docs)', () => {
  before(() => {
    nock.activate();
    nock.disableNetConnect();
  });
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });

  it('Cloud API: https://iotexplorer.tencentcloudapi.com, X-TC-Version 2019-04-23, region ap-guangzhou, service iotexplorer', async () => {
    let headers: Record<string, unknown> = {};
    const scope = nock('https://iotexplorer.tencentcloudapi.com')
      .post('/')
      .reply(function reply() {
        headers = this.req.headers;
        return [200, { Response: { Device: { DeviceName: 'dev', Status: 0, FirstOnlineTime: 1 }, RequestId: 'r-1' } }];
      });
    const provisioner = await Provisioner.create({
      instances: { t: { plugin: tencentPlugin, config: { productId: 'PROD1', cloudApi: { secretId: 'AKIDtest', secretKey: 'test-secret-key' } } } },
    });
    try {
      const status = await provisioner.get('t').status({ deviceId: 'PROD1/dev' });
      expect(status.connectivity).to.equal('offline');
      expect(scope.isDone()).to.equal(true);
      expect(headers).to.include({ 'x-tc-action': 'DescribeDevice', 'x-tc-version': '2019-04-23', 'x-tc-region': 'ap-guangzhou' });
      expect(String(headers.authorization)).to.match(/^TC3-HMAC-SHA256 Credential=AKIDtest\/\d{4}-\d{2}-\d{2}\/iotexplorer\/tc3_request, /);
    } finally {
      await provisioner.close();
    }
  });

  it('device gateway: https://<region>.gateway.tencentdevices.com/device/register, ap-guangzhou by default', async () => {
    const answer = { Response: { Payload: 'AAAA', Len: 3, RequestId: 'r-2' } };
    const guangzhou = nock('https://ap-guangzhou.gateway.tencentdevices.com').post('/device/register').reply(200, answer);
    const shanghai = nock('https://ap-shanghai.gateway.tencentdevices.com').post('/device/register').reply(200, answer);
    const provisioner = await Provisioner.create({
      instances: {
        a: { plugin: tencentPlugin, config: { productId: 'PROD1', productSecret: 'p'.repeat(24) } },
        b: { plugin: tencentPlugin, config: { productId: 'PROD1', productSecret: 'p'.repeat(24), region: 'ap-shanghai' } },
      },
    });
    try {
      expect((await provisioner.get('a').register({ nodeId: 'dev' })).credentials.kind).to.equal('sealed');
      await provisioner.get('b').register({ nodeId: 'dev' });
      expect(guangzhou.isDone() && shanghai.isDone()).to.equal(true);
    } finally {
      await provisioner.close();
    }
  });
});
