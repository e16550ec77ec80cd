// The public API of @provisio/core.
export * from './contract/capabilities.js';
export * from './contract/credentials.js';
export * from './contract/device.js';
export * from './contract/provider.js';
export * from './contract/base-provider.js';
export * from './errors/error-codes.js';
export * from './errors/provisioning-error.js';
export * from './errors/redactor.js';
export * from './errors/invalid-input.js';
export * from './validation/validator.js';
export * from './validation/schemas.js';
export * from './validation/json-text.js';
export * from './http/backoff.js';
export * from './http/rate-limiter.js';
export * from './http/tls.js';
export * from './http/token-manager.js';
export * from './http/http-client.js';
export * from './coordination/coordination.js';
export * from './coordination/in-process.js';
export * from './coordination/load-coordination.js';
// The provider kit: what every provider would otherwise assemble by hand.
export * from './kit/client-config.js';
export * from './kit/bearer-token-auth.js';
export * from './kit/request-signer.js';
export * from './kit/server-clock.js';
export * from './kit/error-table.js';
export * from './kit/command.js';
export * from './kit/package-info.js';
export * from './kit/provider-plugin.js';
export * from './plugins/plugin.js';
export * from './plugins/plugin-loader.js';
export * from './plugins/provisioner.js';
export * from './plugins/secret-fields.js';
export * from './plugins/env-references.js';
export * from './plugins/simulator-hook.js';
export * from './version.js';
// The simulator kit is its own entry point: `@provisio/core/simulator` (src/simulator/index.ts).

// Validators generated at build time for the schemas above (see scripts/precompile-schemas.mjs).
import { loadPrecompiledValidators } from './validation/validator.js';
loadPrecompiledValidators(new URL('./precompiled-validators.cjs', import.meta.url));
