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
  /**
   * A migration whose first line is `-- hub:no-transaction` (CREATE INDEX CONCURRENTLY, and a
   * constraint validated apart from the lock that added it): its statements run one by one,
   * each committed on its own, so none holds the locks of another. Every statement must be
   * safe to run again: an interrupted run is resumed from the first statement.
   */
  noTransaction: boolean;
}

const NO_TRANSACTION = /^-- hub:no-transaction\s*$/m;

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
      return {
        name,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
        noTransaction: NO_TRANSACTION.test(sql.split('\n', 1)[0]),
      };
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
 *
 * A no-transaction migration runs its statements on a second connection while the first holds
 * the lock in its open transaction, and is recorded when the last statement is done. The lock
 * is waited for by polling, never by a blocked statement: CREATE INDEX CONCURRENTLY waits for
 * every transaction with an older snapshot, and a migrator blocked on the lock would be one,
 * itself waiting for the index (a deadlock PostgreSQL cannot see).
 */
export async function migrate(
  databaseUrl: string,
  migrations = readMigrations(),
): Promise<MigrationReport> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  try {
    for (const m of migrations) {
      const applied = await withLock(client, async () => {
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
        // The check above left an unnamed portal, and with it a snapshot, open in this
        // transaction; a simple-protocol statement drops it, so the concurrent index builds of
        // a no-transaction migration do not wait for this very transaction.
        await client.query('SELECT 1');
        await (m.noTransaction ? runStatements(databaseUrl, m.sql) : client.query(m.sql)).catch(
          (error: Error) => {
            throw new Error(`Migration ${m.name} failed: ${error.message}`);
          },
        );
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

const LOCK_POLL_MS = 100;

async function withLock<T>(client: Client, work: () => Promise<T>): Promise<T> {
  for (;;) {
    const result = await withTransaction(client, async () => {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1) AS locked',
        [MIGRATION_LOCK_KEY],
      );
      if (!rows[0].locked) return { locked: false as const };
      // This connection sits idle holding the lock while a no-transaction migration runs on
      // another: a server-side idle-in-transaction timeout (common on managed PostgreSQL) would
      // end it, release the lock and fail the recording of a migration that did run.
      await client.query('SET LOCAL idle_in_transaction_session_timeout = 0');
      await client.query(`CREATE TABLE IF NOT EXISTS _hub_migrations (
        name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      return { locked: true as const, value: await work() };
    });
    if (result.locked) return result.value;
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

async function runStatements(databaseUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const statement of splitStatements(sql)) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Statements end with `;` at the end of a line, outside a `$$` body (DO blocks). */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let inBody = false;
  for (const line of sql.split('\n')) {
    current.push(line);
    inBody = (line.split('$$').length - 1) % 2 === 1 ? !inBody : inBody;
    if (!inBody && /;\s*$/.test(line)) {
      statements.push(current.join('\n'));
      current = [];
    }
  }
  const rest = current.join('\n');
  if (rest.replace(/--.*$/gm, '').trim() !== '') statements.push(rest);
  return statements.filter((st) => st.replace(/--.*$/gm, '').trim() !== '');
}
