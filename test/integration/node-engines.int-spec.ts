import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { repoRoot } from '../../src/platform/paths';

type Lock = { packages: Record<string, { version?: string; engines?: { node?: string } }> };

const read = (file: string) => readFileSync(join(repoRoot(), file), 'utf8');
const declared = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
const floor = semver.minVersion(declared)!.version;

// `npm ci` warns EBADENGINE for any locked package whose engines exclude the running Node. The
// hub declares the Node it runs on; every package in the lock must accept that whole range.
describe('the Node the hub declares and the locked dependency tree agree', () => {
  it('runs on a Node the hub declares', () => {
    expect(semver.satisfies(process.version, declared)).toBe(true);
  });

  it('locks only packages that accept the lowest declared Node and this one', () => {
    const lock = JSON.parse(read('package-lock.json')) as Lock;
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, entry]) => {
        const range = entry.engines?.node;
        if (!range) return [];
        const ok = [floor, process.version].every((v) => semver.satisfies(v, range));
        return ok ? [] : [`${path}@${entry.version}: node ${range}`];
      });
    expect(refusing).toEqual([]);
  });

  it('tells readers the same minimum in the README', () => {
    expect(read('README.md')).toContain(`Needs Node ≥ ${floor.replace(/\.0$/, '')}`);
  });
});
