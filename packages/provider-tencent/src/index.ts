import { tencentPlugin } from './plugin.js';

export { tencentPlugin, tencentPlugin as provisioPlugin };
export default tencentPlugin;
export * from './config.js';
export * from './errors.js';
export * from './payload-cipher.js';
export * from './provider.js';
export * as tencentCommands from './commands.js';
export * from './signing/device-signature.js';
export * from './signing/tc3.js';
export * from './simulator/simulator.js';
export * from './simulator/hook.js';

// Validators generated at build time for this package's schemas (see scripts/precompile-schemas.mjs).
import { loadPrecompiledValidators } from '@provisio/core';
loadPrecompiledValidators(new URL('./precompiled-validators.cjs', import.meta.url));
export * from './schemas.js';
