import { join } from 'node:path';
import type { HubConfig } from '../config/hub-config';
import { devKeysFile, loadOrCreateDevKeys } from '../crypto/dev-keys';
import { repoRoot } from '../paths';
import { provideDatabase } from './dev-postgres';
import { provideRedis } from './dev-redis';

export interface DevStack {
  config: HubConfig;
  notes: string[];
  stop(): Promise<void>;
}

/**
 * Outside production, `npm start` needs nothing but Node: PostgreSQL and Redis are found or
 * started, PII keys are generated once into .data/, and production settings stay untouched.
 */
export async function prepareInfrastructure(base: HubConfig): Promise<DevStack> {
  const dataDir = join(repoRoot(), '.data');
  const production = base.env.nodeEnv === 'production';
  const database = production ? null : await provideDatabase(base.env.databaseUrl, dataDir);
  const standalone = base.env.redis.kind === 'standalone' ? base.env.redis : null;
  // A cluster or sentinel set is the operator's: only a standalone URL may be found or started.
  const redis = production || !standalone ? null : await provideRedis(standalone.url, dataDir);
  const keys = base.env.piiEncryptionKey || production ? null : loadOrCreateDevKeys(devKeysFile());
  const config: HubConfig = {
    ...base,
    env: {
      ...base.env,
      databaseUrl: database?.url ?? base.env.databaseUrl,
      redis: redis ? { kind: 'standalone', url: redis.url } : base.env.redis,
      piiEncryptionKey: base.env.piiEncryptionKey ?? keys?.piiEncryptionKey ?? null,
      piiLookupKey: base.env.piiLookupKey ?? keys?.piiLookupKey ?? null,
    },
  };
  const notes = [
    database && `PostgreSQL: ${database.description}`,
    redis && `Redis: ${redis.description}`,
    keys &&
      'PII keys: development keys from .data/dev-keys.json (set PII_ENCRYPTION_KEY in production)',
  ].filter((n): n is string => Boolean(n));
  return {
    config,
    notes,
    stop: async () => {
      await redis?.stop();
      await database?.stop();
    },
  };
}
