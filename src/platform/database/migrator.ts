import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
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
 * transaction, and records it in _hub_migrations. Safe to run from many processes at once
 * (advisory lock). An applied migration whose file changed afterwards stops the run: edit
 * by adding a new migration, never by rewriting history.
 */
export async function migrate(
  databaseUrl: string,
  migrations = readMigrations(),
): Promise<MigrationReport> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS _hub_migrations (
      name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM _hub_migrations',
    );
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const m of migrations) {
      const recorded = done.get(m.name);
      if (recorded !== undefined) {
        if (recorded !== m.checksum) {
          throw new Error(
            `Migration ${m.name} was changed after it was applied (checksum differs). Add a new migration instead.`,
          );
        }
        report.alreadyApplied.push(m.name);
        continue;
      }
      // Each migration in its own transaction; the advisory lock above is the session's.
      await withTransaction(client, async () => {
        await client.query(m.sql);
        await client.query('INSERT INTO _hub_migrations (name, checksum) VALUES ($1, $2)', [
          m.name,
          m.checksum,
        ]);
      }).catch((error: Error) => {
        throw new Error(`Migration ${m.name} failed: ${error.message}`);
      });
      report.applied.push(m.name);
    }
    return report;
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await client.end();
  }
}
