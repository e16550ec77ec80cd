import { harnessFromPlugin, runConformance } from '@provisio/testkit';
import tencentPlugin from '../src/index.js';

// The full configuration: device gateway (productSecret) and Cloud API keys.
runConformance(harnessFromPlugin(tencentPlugin));

// productSecret only: register and decrypt are claimed; the rest must answer UNSUPPORTED.
runConformance(
  harnessFromPlugin(tencentPlugin, {
    name: 'tencent (device gateway only)',
    configure: ({ cloudApi: _keys, ...config }) => config,
  }),
);

// Cloud API keys only: application-side registration with plain credentials.
runConformance(
  harnessFromPlugin(tencentPlugin, {
    name: 'tencent (Cloud API only)',
    configure: ({ productSecret: _secret, ...config }) => config,
  }),
);
