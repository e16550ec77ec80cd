// The example must stay an outsider: provisio only by package name, never by a path into packages/.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Provisioner, discoverPlugins } from '@provisio/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('example plugin: an outsider', () => {
  it('imports provisio by package name only', () => {
    for (const folder of ['src', 'test']) {
      for (const file of readdirSync(join(root, folder)).filter((f) => f.endsWith('.ts'))) {
        const imports = [...readFileSync(join(root, folder, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);
        for (const specifier of imports) expect(specifier, `${folder}/${file}`).to.not.match(/packages\/|^\.\.\/\.\./);
      }
    }
  });

  it('is discovered and loaded by its package name', async () => {
    expect(discoverPlugins(process.cwd()).map((p) => p.packageName)).to.include('provisio-provider-thingsboard');
    const provisioner = await Provisioner.create({
      instances: { tb: { plugin: 'provisio-provider-thingsboard', config: { baseUrl: 'http://127.0.0.1:9', username: 'u', password: 'p' } } },
    });
    expect(provisioner.list()[0]).to.include({ plugin: 'provisio-provider-thingsboard', providerId: 'thingsboard' });
    await provisioner.close();
  });
});
