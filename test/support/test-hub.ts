import { TEST_CONFIG_DIR } from './config-dir';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import IORedis from 'ioredis';
import { startSandbox, type SandboxPortal } from '../../adapters/sandboxes';
import { createHubApp } from '../../src/app.factory';
import type { HubConfig, PortalConfig } from '../../src/platform/config/hub-config';
import { loadHubConfig } from '../../src/platform/config/load-config';
import { PrismaService } from '../../src/platform/database/prisma.service';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from './database';

export interface TestHub {
  url: string;
  app: NestFastifyApplication;
  config: HubConfig;
  prisma: PrismaService;
  /** Sandbox portal per portal code (CPGRAMS, UP-IGRS, MH-AAPLESARKAR). */
  sandboxes: Record<string, SandboxPortal>;
  /** Every log line the hub wrote. */
  logs: string[];
  close(): Promise<void>;
}

export interface TestHubOptions {
  redisUrl?: string;
  /**
   * A migrated database the test made itself (e.g. on a primary with a replica) instead of a
   * clone on the machine's PostgreSQL; `drop` runs at close.
   */
  database?: TestDatabase;
  /** Rewrites the private database's URL, e.g. to reach it through a proxy the test controls. */
  databaseUrl?: (url: string) => string;
  /** `databaseUrl` is a connection pooler (PgBouncer), not a proxy that only forwards bytes. */
  pooler?: boolean;
  env?: Record<string, string>;
  /** Adjust delivery settings etc. before the hub starts. */
  portal?: (p: PortalConfig) => PortalConfig;
  /** Another config directory than test/config (a test that adds a portal and its rule). */
  configDir?: string;
}

/**
 * The whole hub as production builds it, on a private database and Redis prefix, with the real
 * sandbox portals on ephemeral ports. Delivery settings are shortened so retries take ms, not s.
 */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const db: TestDatabase = options.database ?? (await createTestDatabase());
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const base = loadHubConfig({
    configDir: options.configDir ?? TEST_CONFIG_DIR,
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl ? options.databaseUrl(db.url) : db.url,
      // Through a pooler, the primary itself, as docs/deploying.md says to configure it.
      ...(options.pooler && { DIRECT_DATABASE_URL: db.url }),
      REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PII_LOOKUP_KEY: randomBytes(32).toString('base64'),
      RATE_LIMIT_PER_MINUTE: '100000',
      SANDBOX_PORTALS: 'false',
      // Fixtures lodge the same grievance many times; repeat tests switch it on.
      REPEAT_DETECTION: 'false',
      LOG_LEVEL: 'info',
      ...options.env,
    },
  });
  const sandboxes: Record<string, SandboxPortal> = {};
  const portals: PortalConfig[] = [];
  for (const portal of base.portals) {
    const sandbox = await startSandbox(portal.kind, {
      port: 0,
      portalOptions: portal.options,
      credential: portal.credential ?? undefined,
    });
    sandboxes[portal.code] = sandbox;
    const fast: PortalConfig = {
      ...portal,
      baseUrl: sandbox.url,
      delivery: {
        ...portal.delivery,
        timeoutMs: 1_000,
        backoffMs: 20,
        attempts: 4,
        circuit: { failureThreshold: 50, openMs: 1_000 },
      },
    };
    portals.push(options.portal ? options.portal(fast) : fast);
  }
  const config: HubConfig = { ...base, portals };

  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = await createHubApp(config, { logStream }).catch(async (error: unknown) => {
    // A hub that refuses to start (a test of that) leaves nothing behind.
    await Promise.all(Object.values(sandboxes).map((s) => s.close()));
    await db.drop();
    throw error;
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  // Sandboxes push only when a test says so (pushChanges), never on their own clock.
  for (const portal of portals) {
    if (!portal.webhookSecret) continue;
    sandboxes[portal.code].configurePush({
      hubUrl: `http://127.0.0.1:${address.port}`,
      portalCode: portal.code,
      secret: portal.webhookSecret,
    });
  }

  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    config,
    prisma: app.get(PrismaService),
    sandboxes,
    logs,
    close: async () => {
      await app.close();
      await Promise.all(Object.values(sandboxes).map((s) => s.close()));
      await deleteRedisPrefix(options.redisUrl ?? TEST_REDIS_URL, prefix);
      await db.drop();
    },
  };
}

/** Deletes every key under a test's private Redis prefix. */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    // SCAN, not KEYS: the machine's Redis is shared with other runs, and KEYS blocks it.
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // A test that stopped its own Redis leaves nothing to clean.
  } finally {
    redis.disconnect();
  }
}
