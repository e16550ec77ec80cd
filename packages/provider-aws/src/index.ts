import { awsPlugin } from './plugin.js';

export { awsPlugin, awsPlugin as provisioPlugin };
export default awsPlugin;
export * from './commands/apis.js';
export * from './commands/iot-commands.js';
export * from './config.js';
export * from './errors.js';
export * from './iot-client.js';
export * from './provider.js';
export * from './schemas.js';
export * from './signing/node-sha256.js';
export * from './signing/sigv4.js';
export * from './simulator/simulator.js';
export * from './simulator/hook.js';

// Validators generated at build time for this package's schemas (see scripts/precompile-schemas.mjs).
import { loadPrecompiledValidators } from '@provisio/core';
loadPrecompiledValidators(new URL('./precompiled-validators.cjs', import.meta.url));
