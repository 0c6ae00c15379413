import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readDevKeys, type DevKeys } from '../crypto/dev-keys';
import type { ConfigIssue } from './config-error';
import type { HubEnv } from './hub-config';

/**
 * Secret values anyone can read, which production refuses: every `devDefault` in the config
 * directories given (the repository's config/, committed and public, and the one in use, often
 * a copy of it), and the development PII keys `npm start` generated into .data/.
 */
export function publishedSecrets(configDirs: string[], devKeysFile: string): Set<string> {
  const values = new Set<string>();
  for (const dir of new Set(configDirs)) {
    for (const file of yamlFiles(dir)) collectDevDefaults(readYaml(join(dir, file)), values);
  }
  const keys: Partial<DevKeys> | null = readDevKeys(devKeysFile);
  for (const key of [keys?.piiEncryptionKey, keys?.piiLookupKey]) if (key) values.add(key);
  return values;
}

function yamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  } catch {
    return []; // no such directory: nothing published there
  }
}

// A file the loader cannot read is reported by the loader; here it simply publishes nothing.
function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function collectDevDefaults(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) for (const item of node) collectDevDefaults(item, into);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'devDefault' && typeof value === 'string') into.add(value);
      else collectDevDefaults(value, into);
    }
  }
}

/** Issues for PII keys that anyone could read (previous keys stay allowed: rotating away from a leaked key needs them). */
export function publishedPiiKeys(env: HubEnv, published: ReadonlySet<string>): ConfigIssue[] {
  const keys = { PII_ENCRYPTION_KEY: env.piiEncryptionKey, PII_LOOKUP_KEY: env.piiLookupKey };
  return Object.entries(keys)
    .filter(([, value]) => value !== null && published.has(value))
    .map(([path]) => ({
      file: 'environment',
      path,
      message:
        'Holds a development key (.data/dev-keys.json) or a value published in the repository; production needs a key of its own',
    }));
}
