import { tencentPlugin } from './plugin.js';

export { tencentPlugin, tencentPlugin as provisioPlugin };
export default tencentPlugin;
export * from './config.js';
export * from './errors.js';
export * from './payload-cipher.js';
export * from './provider.js';
export * from './signing/clock.js';
export * from './signing/device-signature.js';
export * from './signing/tc3.js';
export * from './simulator/simulator.js';
export * from './simulator/hook.js';
