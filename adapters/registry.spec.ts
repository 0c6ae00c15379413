import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { adapterFactories, adapterKinds, createAdapter } from './registry';
import { startSandbox } from './sandboxes';
import { plainDeps, portalInstance } from './testing/fixtures';
import { AAPLE_SARKAR_OPTIONS } from './state-portal-rest/sandbox';

describe('adapter registry', () => {
  it('creates each kind from a portal instance', () => {
    const options = AAPLE_SARKAR_OPTIONS as unknown as Record<string, unknown>;
    expect(createAdapter(portalInstance({ kind: 'cpgrams' }), plainDeps()).kind).toBe('cpgrams');
    expect(createAdapter(portalInstance({ kind: 'up-igrs' }), plainDeps()).kind).toBe('up-igrs');
    expect(
      createAdapter(portalInstance({ kind: 'state-portal-rest', options }), plainDeps()).kind,
    ).toBe('state-portal-rest');
  });

  it('names the portal and the known kinds for an unknown kind', () => {
    expect(() =>
      createAdapter(portalInstance({ kind: 'toString', code: 'KA-SPANDANA' }), plainDeps()),
    ).toThrow(
      'Portal KA-SPANDANA: unknown adapter kind "toString" (known kinds: cpgrams, open311, state-portal-rest, up-igrs)',
    );
  });

  it('lists each kind once, in its own folder, one line in adapters/kinds.ts', () => {
    const lines = readFileSync(join(__dirname, 'kinds.ts'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('export'));
    expect(lines).toHaveLength(adapterKinds.size);
    for (const kind of adapterKinds.keys())
      expect(existsSync(join(__dirname, kind, 'kind.ts'))).toBe(true);
  });

  it('has a sandbox for every adapter kind', async () => {
    for (const kind of adapterKinds.values()) expect(typeof kind.startSandbox).toBe('function');
    await expect(startSandbox('nope')).rejects.toThrow('No sandbox portal for adapter kind "nope"');
    const sandbox = await startSandbox('up-igrs', { port: 0 });
    expect(sandbox.portalKind).toBe('up-igrs');
    await sandbox.close();
  });

  it('runs the conformance suite for every adapter kind', () => {
    const missing = Object.keys(adapterFactories).filter(
      (kind) => !existsSync(join(__dirname, kind, `${kind}.conformance.spec.ts`)),
    );
    expect(missing).toEqual([]);
  });
});
