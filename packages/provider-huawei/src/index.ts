import { huaweiPlugin } from './plugin.js';

export { huaweiPlugin, huaweiPlugin as provisioPlugin };
export default huaweiPlugin;
export * from './config.js';
export * from './errors.js';
export * from './paths.js';
export * from './provider.js';
export * from './auth.js';
export * from './simulator/simulator.js';
export * from './simulator/hook.js';
