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
  const kept = readDevKeys(file);
  if (kept) return kept;
  const keys: DevKeys = {
    piiEncryptionKey: randomBytes(32).toString('base64'),
    piiLookupKey: randomBytes(32).toString('base64'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/**
 * The development keys kept in `file`, or null when there is none. A file that is not the JSON
 * this module writes stops the caller with a message naming it (not a bare SyntaxError).
 */
export function readDevKeys(file: string): DevKeys | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevKeys;
  } catch (error) {
    throw new Error(
      `${file} is not readable JSON (${(error as Error).message}): it holds the development PII keys; ` +
        'delete it to have new ones made (data stored under the old ones becomes unreadable)',
    );
  }
}
