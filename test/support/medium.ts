import { randomBytes } from 'node:crypto';
import type { HubConfig } from '../../src/platform/config/hub-config';
import { loadHubConfig } from '../../src/platform/config/load-config';
import { PrismaService } from '../../src/platform/database/prisma.service';
import { TEST_REDIS_URL, useTestDatabase, type TestDatabase } from './database';
import { deleteRedisPrefix } from './test-hub';

export interface Medium {
  readonly db: TestDatabase;
  /** The hub's configuration on the private database and Redis prefix (sandboxes off). */
  readonly config: HubConfig;
  readonly prisma: PrismaService;
}

/**
 * The medium test tier: repositories and processors constructed directly (no Nest application,
 * no HTTP, no workers or relay loops running) on a private clone of the migrated database, with
 * a private Redis prefix for any queue a test opens. For a describe block; `close` handlers
 * registered with `onClose` run before the database and the prefix go.
 */
export function useMedium(): Medium & { onClose(close: () => Promise<unknown>): void } {
  const prefix = `m${randomBytes(4).toString('hex')}`;
  const closers: (() => Promise<unknown>)[] = [];
  const held = {
    onClose: (close: () => Promise<unknown>) => void closers.push(close),
  } as Medium & { onClose(close: () => Promise<unknown>): void };
  // Declared before the database's hooks: Jest runs after-all hooks in declaration order, and
  // the connections must close before the database is dropped.
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await held.prisma?.onApplicationShutdown();
    await deleteRedisPrefix(TEST_REDIS_URL, prefix);
  });
  const database = useTestDatabase();
  beforeAll(() => {
    const config = loadHubConfig({
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: database.db.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        PII_LOOKUP_KEY: randomBytes(32).toString('base64'),
        SANDBOX_PORTALS: 'false',
        // Fixtures lodge the same grievance many times; repeat tests switch it on.
        REPEAT_DETECTION: 'false',
      },
    });
    Object.assign(held, { db: database.db, config, prisma: new PrismaService(database.db.url) });
  });
  return held;
}
