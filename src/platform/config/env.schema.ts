import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../paths';
import type { HubEnv, RedisNode, RedisTopology } from './hub-config';
import { DAY_MS } from '../time';

const base64Key = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
    message: 'Expected base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`)',
  });

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'Expected a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max));

const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'Expected a postgres:// URL',
});

/** A similarity threshold: 0.05 to 1 (below that everything is alike). */
const fraction = z.coerce
  .number({ error: 'Expected a number from 0.05 to 1' })
  .min(0.05, 'Expected a number from 0.05 to 1')
  .max(1, 'Expected a number from 0.05 to 1');
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const DURATION_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS } as const;
/** `90s`, `10m`, `12h`, `15d` → milliseconds. */
const duration = z
  .string()
  .regex(/^\d{1,6}[smhd]$/, 'Expected a duration such as 90s, 10m, 12h or 15d')
  .transform(
    (v) => Number(v.slice(0, -1)) * DURATION_UNITS_MS[v.slice(-1) as 's' | 'm' | 'h' | 'd'],
  )
  .pipe(z.number().min(1_000, 'Expected at least 1s'));

const commaList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

// proxy-addr's names for address ranges (Fastify's trustProxy, as Express's before it): 127/8 + ::1, 169.254/16 + fe80::/10, private.
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const isProxyAddress = (entry: string): boolean => {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  return (
    bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))
  );
};
/** `2` → trust two hops; `10.0.0.0/8, 192.168.1.10` → trust those peers; unset → trust none. */
const trustedProxies = z.string().transform((v, ctx): number | string[] => {
  if (/^\s*\d+\s*$/.test(v)) {
    const hops = Number(v);
    if (hops >= 1 && hops <= 10) return hops;
  } else {
    const entries = commaList(v);
    if (entries.length > 0 && entries.every(isProxyAddress)) return entries;
  }
  ctx.addIssue({
    code: 'custom',
    message:
      'Expected a hop count from 1 to 10, or comma-separated proxy addresses and CIDR ranges (10.0.0.0/8, loopback, linklocal, uniquelocal)',
  });
  return z.NEVER;
});

/** A path to a PEM file of certificates → its text; read at start so a bad path stops it. */
const pemFile = z.string().transform((path, ctx) => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `Cannot read ${path}: ${(error as Error).message}` });
    return z.NEVER;
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    ctx.addIssue({ code: 'custom', message: `${path} holds no PEM certificate` });
    return z.NEVER;
  }
  return text;
});

/** `10.0.0.1:6379, redis-2.internal:6379` → nodes; every entry must have a host and a port. */
const redisNodes = z.string().transform((v, ctx): RedisNode[] => {
  const entries = commaList(v);
  const nodes = entries.map((e) => /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$/.exec(e));
  if (entries.length > 0 && nodes.every((m) => m && Number(m[2]) >= 1 && Number(m[2]) <= 65_535))
    return nodes.map((m) => ({ host: m![1].replace(/^\[|\]$/g, ''), port: Number(m![2]) }));
  ctx.addIssue({
    code: 'custom',
    message: 'Expected comma-separated host:port entries (10.0.0.1:6379, redis-2.internal:6379)',
  });
  return z.NEVER;
});

/** Browser origins allowed to call the API cross-origin: exact `scheme://host[:port]`, no `*`. */
const corsOrigins = z.string().transform((v, ctx): string[] => {
  const origins = commaList(v);
  const bad = origins.filter((o) => !isOrigin(o));
  if (bad.length === 0) return origins;
  ctx.addIssue({
    code: 'custom',
    message: `Expected origins such as https://app.example.in (scheme, host, port; no path, no *), not ${bad.map((o) => JSON.stringify(o)).join(', ')}`,
  });
  return z.NEVER;
});
function isOrigin(o: string): boolean {
  try {
    const url = new URL(o);
    return ['http:', 'https:'].includes(url.protocol) && url.origin === o;
  } catch {
    return false;
  }
}

const rawEnvSchema = z
  .object({
    // Unset is production: development (dev secrets, sandboxes) must be asked for, as npm start does.
    NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
    PORT: int(1, 65_535).default(3000),
    HUB_ROLE: z.enum(['api', 'worker', 'all']).default('all'),
    DATABASE_URL: postgresUrl.optional(),
    // The primary without a pooler in between, for migrations (PgBouncer's timeouts and pooling
    // are for the application's short transactions); unset: DATABASE_URL.
    DIRECT_DATABASE_URL: postgresUrl.optional(),
    // A streaming replica for staff lists, dashboards and exports; unset: everything on the primary.
    DATABASE_READ_URL: postgresUrl.optional(),
    // Hot statements as named prepared statements (false behind PgBouncer < 1.21 in transaction mode).
    DATABASE_PREPARED_STATEMENTS: bool.optional(),
    REDIS_URL: z
      .url({ protocol: /^rediss?$/, error: 'Expected a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
    // Redis Cluster: seed nodes (the rest are discovered). Sentinel: the sentinels and the master's name.
    REDIS_CLUSTER_NODES: redisNodes.optional(),
    REDIS_SENTINELS: redisNodes.optional(),
    REDIS_SENTINEL_NAME: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'Expected letters, digits, ., - or _')
      .optional(),
    // Credentials of the cluster's or sentinel set's data nodes (REDIS_URL carries its own).
    REDIS_USERNAME: z.string().optional(),
    REDIS_PASSWORD: z.string().optional(),
    REDIS_SENTINEL_PASSWORD: z.string().optional(),
    REDIS_TLS: bool.optional(),
    // A private CA's certificates (PEM file) for TLS to Redis (rediss:// or REDIS_TLS=true).
    REDIS_TLS_CA: pemFile.optional(),
    SHUTDOWN_TIMEOUT: duration.default(25_000),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'Expected letters, digits, - or _')
      .default('hub'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    // Default: pretty for a person at a terminal in development, JSON lines everywhere else.
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    PII_ENCRYPTION_KEY: base64Key.optional(),
    PII_LOOKUP_KEY: base64Key.optional(),
    // Keys being rotated out: still decrypt, never encrypt (comma-separated base64).
    PII_ENCRYPTION_PREVIOUS_KEYS: z
      .string()
      .transform((v) => v.split(',').map((k) => k.trim()))
      .pipe(z.array(base64Key))
      .optional(),
    PII_RETENTION_DAYS: int(1, 36_500).default(365),
    // Whole months of the audit log older than this are dropped (decision 0026).
    AUDIT_RETENTION_MONTHS: int(1, 1_200).default(24),
    // Whole months of the portals' raw status events older than this are dropped (decision 0031).
    INBOUND_EVENTS_RETENTION_MONTHS: int(2, 1_200).default(13),
    HUB_CONFIG_DIR: z.string().optional(),
    RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(60),
    PORTAL_AUTH_FAILURES_PER_MINUTE: int(1, 10_000).default(10),
    SANDBOX_PORTALS: bool.optional(),
    SMTP_URL: z
      .url({ protocol: /^smtps?$/, error: 'Expected an smtp:// or smtps:// URL' })
      .optional(),
    MAIL_FROM: z.string().min(3).default('Grievance hub <no-reply@grievance-hub.invalid>'),
    AUTO_CLOSE_AFTER: duration.default(15 * DAY_MS),
    SANDBOX_OFFICER_STEP_MS: int(0, 3_600_000).default(15_000),
    TRUSTED_PROXIES: trustedProxies.optional(),
    CORS_ORIGINS: corsOrigins.optional(),
    SERVE_DOCS: bool.optional(),
    SERVE_QUEUE_BOARD: bool.optional(),
    SERVE_METRICS: bool.optional(),
    OPEN311_PUBLIC_TEXT: bool.optional(),
    // Repeats and clusters at intake (docs/citizen.md#repeats; measured in docs/benchmarks.md).
    REPEAT_DETECTION: bool.optional(),
    REPEAT_SIMILARITY: fraction.default(0.35),
    CLUSTER_SIMILARITY: fraction.default(0.35),
    CLUSTER_WINDOW: duration.default(30 * DAY_MS),
  })
  .superRefine((e, ctx) => {
    // The pooler-free and replica URLs are of the database DATABASE_URL names.
    for (const name of ['DIRECT_DATABASE_URL', 'DATABASE_READ_URL'] as const) {
      if (e[name] && !e.DATABASE_URL)
        ctx.addIssue({ code: 'custom', path: [name], message: 'Needs DATABASE_URL set as well' });
    }
    if (e.REDIS_CLUSTER_NODES && e.REDIS_SENTINELS)
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_SENTINELS'],
        message: 'Set REDIS_CLUSTER_NODES or REDIS_SENTINELS, not both',
      });
    const redisTls =
      e.REDIS_CLUSTER_NODES || e.REDIS_SENTINELS ? e.REDIS_TLS : e.REDIS_URL.startsWith('rediss:');
    if (e.REDIS_TLS_CA && !redisTls)
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_TLS_CA'],
        message:
          'TLS to Redis is off: use a rediss:// REDIS_URL (or REDIS_TLS=true with a cluster or sentinels)',
      });
    if (e.REDIS_SENTINELS && !e.REDIS_SENTINEL_NAME)
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_SENTINEL_NAME'],
        message: "Required with REDIS_SENTINELS: the master's name the sentinels monitor",
      });
    if (e.NODE_ENV !== 'production') return;
    // Production never falls back to embedded PostgreSQL or to generated dev keys.
    for (const name of ['DATABASE_URL', 'PII_ENCRYPTION_KEY', 'PII_LOOKUP_KEY'] as const) {
      if (!e[name])
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'Required when NODE_ENV=production (the default; npm start sets development)',
        });
    }
  });

/** Validates the hub's environment variables; unset and empty variables take their defaults. */
export function parseEnv(
  source: Record<string, string | undefined>,
): { ok: true; env: HubEnv } | { ok: false; issues: { path: string; message: string }[] } {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = rawEnvSchema.safeParse(present);
  if (!result.success) {
    return {
      ok: false,
      issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  }
  const e = result.data;
  return {
    ok: true,
    env: {
      nodeEnv: e.NODE_ENV,
      port: e.PORT,
      hubRole: e.HUB_ROLE,
      databaseUrl: e.DATABASE_URL ?? null,
      directDatabaseUrl: e.DIRECT_DATABASE_URL ?? null,
      databaseReadUrl: e.DATABASE_READ_URL ?? null,
      databasePreparedStatements: e.DATABASE_PREPARED_STATEMENTS ?? true,
      redis: redisTopology(e),
      redisPrefix: e.REDIS_PREFIX,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT,
      logLevel: e.LOG_LEVEL,
      logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' ? 'pretty' : 'json'),
      piiEncryptionKey: e.PII_ENCRYPTION_KEY ?? null,
      piiLookupKey: e.PII_LOOKUP_KEY ?? null,
      piiPreviousKeys: e.PII_ENCRYPTION_PREVIOUS_KEYS ?? [],
      piiRetentionDays: e.PII_RETENTION_DAYS,
      auditRetentionMonths: e.AUDIT_RETENTION_MONTHS,
      inboundEventsRetentionMonths: e.INBOUND_EVENTS_RETENTION_MONTHS,
      configDir: e.HUB_CONFIG_DIR ? resolve(e.HUB_CONFIG_DIR) : join(repoRoot(), 'config'),
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      portalAuthFailuresPerMinute: e.PORTAL_AUTH_FAILURES_PER_MINUTE,
      sandboxPortals: e.SANDBOX_PORTALS ?? e.NODE_ENV !== 'production',
      smtpUrl: e.SMTP_URL ?? null,
      mailFrom: e.MAIL_FROM,
      autoCloseAfterMs: e.AUTO_CLOSE_AFTER,
      sandboxOfficerStepMs: e.SANDBOX_OFFICER_STEP_MS,
      trustedProxies: e.TRUSTED_PROXIES ?? false,
      corsOrigins: e.CORS_ORIGINS ?? [],
      // Open311's public request list shows the grievance's subject only when enabled.
      open311PublicText: e.OPEN311_PUBLIC_TEXT ?? false,
      // People's tools are served outside production; in production only when enabled.
      serve: {
        docs: e.SERVE_DOCS ?? e.NODE_ENV !== 'production',
        queueBoard: e.SERVE_QUEUE_BOARD ?? e.NODE_ENV !== 'production',
        metrics: e.SERVE_METRICS ?? e.NODE_ENV !== 'production',
      },
      repeats: {
        enabled: e.REPEAT_DETECTION ?? true,
        similarity: e.REPEAT_SIMILARITY,
        clusterSimilarity: e.CLUSTER_SIMILARITY,
        clusterWindowMs: e.CLUSTER_WINDOW,
      },
    },
  };
}

function redisTopology(e: z.infer<typeof rawEnvSchema>): RedisTopology {
  const auth = {
    username: e.REDIS_USERNAME,
    password: e.REDIS_PASSWORD,
    tls: e.REDIS_TLS ?? false,
    tlsCa: e.REDIS_TLS_CA,
  };
  if (e.REDIS_CLUSTER_NODES) return { kind: 'cluster', nodes: e.REDIS_CLUSTER_NODES, ...auth };
  if (e.REDIS_SENTINELS)
    return {
      kind: 'sentinel',
      sentinels: e.REDIS_SENTINELS,
      masterName: e.REDIS_SENTINEL_NAME!,
      sentinelPassword: e.REDIS_SENTINEL_PASSWORD,
      ...auth,
    };
  return { kind: 'standalone', url: e.REDIS_URL, tlsCa: e.REDIS_TLS_CA };
}
