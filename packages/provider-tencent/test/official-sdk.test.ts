// The vendor's own Cloud API SDK, aimed at the simulator only through its endpoint settings.
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { TencentSimulator } from '../src/index.js';

const require = createRequire(import.meta.url);
// The iotexplorer service of tencentcloud-sdk-nodejs (loaded alone: the full SDK is large).
const { iotexplorer } = require('tencentcloud-sdk-nodejs/tencentcloud/services/iotexplorer/index.js') as {
  iotexplorer: { v20190423: { Client: new (config: Record<string, unknown>) => IotexplorerClient } };
};

interface SdkError {
  code?: string;
  message: string;
}
interface IotexplorerClient {
  CreateDevice(req: Record<string, unknown>): Promise<{ Data: { DeviceName: string; DevicePsk: string } }>;
  DescribeDevice(req: Record<string, unknown>): Promise<{ Device: { DeviceName: string; Status: number; DevicePsk: string } }>;
  DeleteDevice(req: Record<string, unknown>): Promise<{ RequestId: string }>;
}

function sdkClient(simulator: TencentSimulator, options: { secretKey?: string; reqMethod?: 'POST' | 'GET' } = {}): IotexplorerClient {
  const key = simulator.keys[0]!;
  return new iotexplorer.v20190423.Client({
    credential: { secretId: key.secretId, secretKey: options.secretKey ?? key.secretKey },
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: simulator.url.replace('http://', ''), protocol: 'http://', reqMethod: options.reqMethod ?? 'POST' } },
  });
}

async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the SDK call to fail');
}

describe('tencent simulator: the official tencentcloud-sdk-nodejs works against it unchanged', function () {
  this.timeout(30_000);
  let simulator: TencentSimulator;
  let productId: string;
  beforeEach(async () => {
    simulator = await TencentSimulator.start();
    productId = simulator.products[0]!.productId;
  });
  afterEach(async () => simulator.stop());

  for (const reqMethod of ['POST', 'GET'] as const) {
    it(`CreateDevice, DescribeDevice, DeleteDevice signed by the SDK (TC3, ${reqMethod})`, async () => {
      const client = sdkClient(simulator, { reqMethod });
      const created = await client.CreateDevice({ ProductId: productId, DeviceName: `sdk_${reqMethod}` });
      expect(created.Data.DeviceName).to.equal(`sdk_${reqMethod}`);
      const described = await client.DescribeDevice({ ProductId: productId, DeviceName: `sdk_${reqMethod}` });
      expect(described.Device).to.include({ DeviceName: `sdk_${reqMethod}`, Status: 3, DevicePsk: created.Data.DevicePsk });
      expect((await client.DeleteDevice({ ProductId: productId, DeviceName: `sdk_${reqMethod}` })).RequestId).to.be.a('string');
      expect(simulator.stats.signatureFailures).to.equal(0);
    });
  }

  it('a wrong SecretKey gives AuthFailure.SignatureFailure', async () => {
    const error = await sdkError(sdkClient(simulator, { secretKey: 'wrong-secret-key' }).DescribeDevice({ ProductId: productId, DeviceName: 'x' }));
    expect(error.code).to.equal('AuthFailure.SignatureFailure');
  });

  it('a clock ten minutes off gives AuthFailure.SignatureExpire', async () => {
    simulator.setClockSkew(600);
    const error = await sdkError(sdkClient(simulator).DescribeDevice({ ProductId: productId, DeviceName: 'x' }));
    expect(error.code).to.equal('AuthFailure.SignatureExpire');
  });

  it('a duplicate gives an already-exists code, a missing device ResourceNotFound.DeviceNotExist', async () => {
    const client = sdkClient(simulator);
    await client.CreateDevice({ ProductId: productId, DeviceName: 'twice' });
    expect((await sdkError(client.CreateDevice({ ProductId: productId, DeviceName: 'twice' }))).code).to.equal('InvalidParameterValue.DeviceAlreadyExist');
    expect((await sdkError(client.DescribeDevice({ ProductId: productId, DeviceName: 'ghost' }))).code).to.equal('ResourceNotFound.DeviceNotExist');
  });
});
