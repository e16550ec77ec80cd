import { harnessFromPlugin, runConformance } from '@provisio/testkit';
import huaweiPlugin from '../src/index.js';

// Verification-code mode (v1.1.0, the default).
runConformance(harnessFromPlugin(huaweiPlugin));

// Password mode (v2.0.0, MQTT devices): a device secret, no secret refresh (rekey UNSUPPORTED).
runConformance(harnessFromPlugin(huaweiPlugin, { name: 'huawei (password mode)', configure: (config) => ({ ...config, registerMode: 'password' }) }));
