import { readFileSync } from 'node:fs';

/** A package's name and version, as its package.json states them (the one place they are written). */
export function readPackageInfo(packageJson: URL): { name: string; version: string } {
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { name?: unknown; version?: unknown };
  if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
    throw new Error(`${packageJson.pathname} has no name or version`);
  }
  return { name: manifest.name, version: manifest.version };
}
