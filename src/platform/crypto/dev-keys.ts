import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../paths';

export interface DevKeys {
  piiEncryptionKey: string;
  piiLookupKey: string;
}

/** Where `npm start` keeps its development keys (never committed; production refuses them). */
export const devKeysFile = (): string => join(repoRoot(), '.data', 'dev-keys.json');

/**
 * Outside production, a key pair is generated once and kept in .data/ so that a restarted
 * dev hub can still read what it stored. Production refuses to start without real keys
 * (see env validation).
 */
export function loadOrCreateDevKeys(file: string): DevKeys {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevKeys;
  const keys: DevKeys = {
    piiEncryptionKey: randomBytes(32).toString('base64'),
    piiLookupKey: randomBytes(32).toString('base64'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}
