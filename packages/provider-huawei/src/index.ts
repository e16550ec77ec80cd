import { huaweiPlugin } from './plugin.js';

export { huaweiPlugin, huaweiPlugin as provisioPlugin };
export default huaweiPlugin;
export * from './config.js';
export * from './errors.js';
export * from './paths.js';
export * from './provider.js';
export * from './auth.js';
export * as huaweiCommands from './commands.js';
export * from './simulator/simulator.js';
export * from './simulator/hook.js';

// Validators generated at build time for this package's schemas (see scripts/precompile-schemas.mjs).
import { loadPrecompiledValidators } from '@provisio/core';
loadPrecompiledValidators(new URL('./precompiled-validators.cjs', import.meta.url));
export * from './schemas.js';
