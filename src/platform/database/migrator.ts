import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { HubEnv } from '../config/hub-config';
import { repoRoot } from '../paths';
import { withTransaction } from './with-transaction';

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

// Any constant works: it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 727_001;

/** Where migrations run: the primary directly (DIRECT_DATABASE_URL), else DATABASE_URL. */
export function migrationDatabaseUrl(
  env: Pick<HubEnv, 'databaseUrl' | 'directDatabaseUrl'>,
): string | null {
  return env.directDatabaseUrl ?? env.databaseUrl;
}

export function readMigrations(dir = join(repoRoot(), 'prisma', 'migrations')): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies prisma/migrations/<timestamp>_<name>/migration.sql in order, each in its own
 * transaction, and records it in _hub_migrations. Safe to run from many processes at once: each
 * transaction takes a transaction-scoped advisory lock and reads what is applied under it, so
 * nothing rests on the session (it works through PgBouncer in transaction pooling mode too,
 * where consecutive transactions may run on different server connections; DIRECT_DATABASE_URL
 * still skips the pooler, whose query timeouts a long migration should not meet). An applied
 * migration whose file changed afterwards stops the run: edit by adding a new migration, never
 * by rewriting history.
 */
export async function migrate(
  databaseUrl: string,
  migrations = readMigrations(),
): Promise<MigrationReport> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  const locked = async <T>(work: () => Promise<T>): Promise<T> =>
    withTransaction(client, async () => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(`CREATE TABLE IF NOT EXISTS _hub_migrations (
        name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      return work();
    });
  try {
    for (const m of migrations) {
      const applied = await locked(async () => {
        const { rows } = await client.query<{ checksum: string }>(
          'SELECT checksum FROM _hub_migrations WHERE name = $1',
          [m.name],
        );
        if (rows.length > 0) {
          if (rows[0].checksum !== m.checksum)
            throw new Error(
              `Migration ${m.name} was changed after it was applied (checksum differs). Add a new migration instead.`,
            );
          return false;
        }
        await client.query(m.sql).catch((error: Error) => {
          throw new Error(`Migration ${m.name} failed: ${error.message}`);
        });
        await client.query('INSERT INTO _hub_migrations (name, checksum) VALUES ($1, $2)', [
          m.name,
          m.checksum,
        ]);
        return true;
      });
      (applied ? report.applied : report.alreadyApplied).push(m.name);
    }
    return report;
  } finally {
    await client.end();
  }
}
