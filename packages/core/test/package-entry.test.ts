// The built package entries as applications load them: from CommonJS too (no top-level await:
// `require()` of an ES module that awaits fails with ERR_REQUIRE_ASYNC_MODULE), and with the
// build-time validators in use (ajv's compiler is never loaded for a built-in schema).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';

function node(script: string): string {
  return execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], { encoding: 'utf8' }).trim();
}

describe('package entries', () => {
  for (const name of ['@provisio/core', '@provisio/provider-huawei', '@provisio/provider-tencent']) {
    it(`require('${name}') works from CommonJS`, () => {
      expect(node(`const m = require('${name}'); console.log(typeof m)`)).to.equal('object');
    });
  }

  it("require('@provisio/core/simulator') works from CommonJS, and the core entry loads neither the simulator kit, reflect-metadata nor the validators before a validation", () => {
    const out = node(`
      const core = require('@provisio/core');
      const simulatorLoaded = () => Object.keys(require.cache).some((f) => f.includes('/dist/src/simulator/'));
      const before = simulatorLoaded();
      const reflect = Object.keys(require.cache).some((f) => f.includes('/reflect-metadata/'));
      const validators = Object.keys(require.cache).some((f) => f.endsWith('precompiled-validators.cjs'));
      const sim = require('@provisio/core/simulator');
      console.log(JSON.stringify({ before, reflect, validators, after: simulatorLoaded(), kit: typeof sim.BaseSimulator, inCore: 'BaseSimulator' in core }));
    `);
    expect(JSON.parse(out)).to.deep.equal({ before: false, reflect: false, validators: false, after: true, kit: 'function', inCore: false });
  });

  it("import('@provisio/core/simulator') works from ESM", () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import('@provisio/core/simulator'); console.log(typeof m.SimServer, typeof m.createTestPki)`], { encoding: 'utf8' }).trim();
    expect(out).to.equal('function function');
  });

  it('validates the built-in schemas with the precompiled validators, without loading ajv', () => {
    const out = node(`
      const core = require('@provisio/core');
      const huawei = require('@provisio/provider-huawei');
      core.assertValid(core.registerRequestSchema, { nodeId: 'n1' }, { subject: 'request' });
      core.assertValid(huawei.huaweiRegisterSchema, { nodeId: 'n1', psk: '0123abcd' }, { subject: 'request' });
      let refused = '';
      try { core.assertValid(huawei.huaweiRegisterSchema, { nodeId: 'n1', psk: 'not-hex' }, { subject: 'request' }); } catch (e) { refused = e.field; }
      console.log(JSON.stringify({ refused, ajv: Object.keys(require.cache).some((f) => f.includes('/ajv/dist/2020.js')) }));
    `);
    expect(JSON.parse(out)).to.deep.equal({ refused: 'request.psk', ajv: false });
  });
});
