import { join, resolve } from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../paths';
import type { HubEnv } from './hub-config';
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

const rawEnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: int(1, 65_535).default(3000),
    HUB_ROLE: z.enum(['api', 'worker', 'all']).default('all'),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: 'Expected a postgres:// URL' })
      .optional(),
    REDIS_URL: z
      .url({ protocol: /^rediss?$/, error: 'Expected a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'Expected letters, digits, - or _')
      .default('hub'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    PII_ENCRYPTION_KEY: base64Key.optional(),
    PII_LOOKUP_KEY: base64Key.optional(),
    // Keys being rotated out: still decrypt, never encrypt (comma-separated base64).
    PII_ENCRYPTION_PREVIOUS_KEYS: z
      .string()
      .transform((v) => v.split(',').map((k) => k.trim()))
      .pipe(z.array(base64Key))
      .optional(),
    PII_RETENTION_DAYS: int(1, 36_500).default(365),
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
  })
  .superRefine((e, ctx) => {
    if (e.NODE_ENV !== 'production') return;
    // Production never falls back to embedded PostgreSQL or to generated dev keys.
    for (const name of ['DATABASE_URL', 'PII_ENCRYPTION_KEY', 'PII_LOOKUP_KEY'] as const) {
      if (!e[name])
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'Required when NODE_ENV=production',
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
      redisUrl: e.REDIS_URL,
      redisPrefix: e.REDIS_PREFIX,
      logLevel: e.LOG_LEVEL,
      piiEncryptionKey: e.PII_ENCRYPTION_KEY ?? null,
      piiLookupKey: e.PII_LOOKUP_KEY ?? null,
      piiPreviousKeys: e.PII_ENCRYPTION_PREVIOUS_KEYS ?? [],
      piiRetentionDays: e.PII_RETENTION_DAYS,
      configDir: e.HUB_CONFIG_DIR ? resolve(e.HUB_CONFIG_DIR) : join(repoRoot(), 'config'),
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      portalAuthFailuresPerMinute: e.PORTAL_AUTH_FAILURES_PER_MINUTE,
      sandboxPortals: e.SANDBOX_PORTALS ?? e.NODE_ENV !== 'production',
      smtpUrl: e.SMTP_URL ?? null,
      mailFrom: e.MAIL_FROM,
      autoCloseAfterMs: e.AUTO_CLOSE_AFTER,
      sandboxOfficerStepMs: e.SANDBOX_OFFICER_STEP_MS,
    },
  };
}
