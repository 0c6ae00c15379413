import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { retryRolledBack } from './deadlock';
import type { HubEnv } from '../config/hub-config';
import { repoRoot } from '../paths';
import { withTransaction } from './with-transaction';

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
  /**
   * A migration whose header says `-- hub:no-transaction` (CREATE INDEX CONCURRENTLY, and a
   * constraint validated apart from the lock that added it): its statements run one by one,
   * each committed on its own, so none holds the locks of another. Every statement must be
   * safe to run again: an interrupted run is resumed from the first statement.
   */
  noTransaction: boolean;
  /**
   * A migration whose header says `-- hub:contract` removes what an older hub version still uses
   * (expand/contract): see MigrateOptions.contract.
   */
  contract?: boolean;
}

/** A migration's header: its leading comment lines; `-- hub:<flag>` lines set its flags. */
const FLAG = /^-- hub:([a-z-]+)\s*$/;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
  /** Pending, not applied: the first contract migration and every one after it (hold mode). */
  held: string[];
}

export interface MigrateOptions {
  /**
   * 'apply' (default): every pending migration. 'hold': on a database that already had
   * migrations (older hub processes may still be running against it), stop before the first
   * pending contract migration; apply it with `npm run migrate -- --contract` once every
   * process runs this version (docs/deploying.md). A new database gets everything: nothing older
   * can be running against it.
   */
  contract?: 'apply' | 'hold';
  /**
   * How long a transactional migration waits for each lock (`SET LOCAL lock_timeout`) before it
   * rolls back and is tried again after `lockPauseMs`, at most `lockAttempts` times in all. A
   * DDL statement waiting for its lock queues every later reader and writer of that table
   * behind it: bounded, a long transaction elsewhere delays the migration, not the hub.
   * No-transaction migrations wait as long as they need (CREATE INDEX CONCURRENTLY waits for
   * older snapshots, holding no lock that blocks others).
   */
  lockTimeoutMs?: number;
  lockPauseMs?: number;
  lockAttempts?: number;
}

const LOCK_TIMEOUT_DEFAULTS = { lockTimeoutMs: 5_000, lockPauseMs: 1_000, lockAttempts: 120 };

/** A transactional migration that did not get a lock within its lock_timeout (55P03). */
class LockTimeout extends Error {}

/** The flags of a migration's header (`no-transaction`, `contract`). */
function headerFlags(sql: string): Set<string> {
  const flags = new Set<string>();
  for (const line of sql.split('\n')) {
    if (!line.startsWith('--')) break;
    const flag = FLAG.exec(line)?.[1];
    if (flag) flags.add(flag);
  }
  return flags;
}

// Any constant works: it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 727_001;

/**
 * How a process started from this build migrates: in production a contract migration waits for
 * `npm run migrate -- --contract` (older processes may be running during a rolling deploy); in
 * development and tests everything is applied.
 */
export function contractMode(
  env: Pick<HubEnv, 'nodeEnv'>,
  contractFlag = false,
): NonNullable<MigrateOptions['contract']> {
  return contractFlag || env.nodeEnv !== 'production' ? 'apply' : 'hold';
}

/** The log line for migrations held back (contract), or null when none were. */
export function heldMessage(report: MigrationReport): string | null {
  return report.held.length === 0
    ? null
    : `Migrations held until every process runs this version: ${report.held.join(', ')}. ` +
        'Once the rollout is done, run `npm run migrate -- --contract` (docs/deploying.md).';
}

/** Where migrations run: the primary directly (DIRECT_DATABASE_URL), else DATABASE_URL. */
export function migrationDatabaseUrl(
  env: Pick<HubEnv, 'databaseUrl' | 'directDatabaseUrl'>,
): string | null {
  return env.directDatabaseUrl ?? env.databaseUrl;
}

/**
 * Migrates the hub's database as a process of this build does it (the hub at start, `npm run
 * migrate`, `npm run hub`): on migrationDatabaseUrl, every migration of this checkout, contract
 * migrations held in production unless `contract` (`--contract`) says the rollout is done.
 */
export function migrateHub(
  env: Pick<HubEnv, 'databaseUrl' | 'directDatabaseUrl' | 'nodeEnv'>,
  { contract = false } = {},
): Promise<MigrationReport> {
  const url = migrationDatabaseUrl(env);
  if (!url) throw new Error('DATABASE_URL must be set to migrate');
  return migrate(url, readMigrations(), { contract: contractMode(env, contract) });
}

export function readMigrations(dir = join(repoRoot(), 'prisma', 'migrations')): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      const flags = headerFlags(sql);
      return {
        name,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
        noTransaction: flags.has('no-transaction'),
        contract: flags.has('contract'),
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
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const report: MigrationReport = { applied: [], alreadyApplied: [], held: [] };
  const locks = { ...LOCK_TIMEOUT_DEFAULTS, ...options };
  try {
    for (const [i, m] of migrations.entries()) {
      const applied = await retryRolledBack(() => applyOne(m), {
        when: (error) => error instanceof LockTimeout,
        attempts: locks.lockAttempts,
        pauseMs: locks.lockPauseMs,
      }).catch((error: Error) => {
        if (!(error instanceof LockTimeout)) throw error;
        throw new Error(
          `Migration ${m.name} did not get its locks within ${locks.lockTimeoutMs} ms, ${locks.lockAttempts} times: ` +
            `a long transaction holds a table it changes (see pg_stat_activity): ${error.message}`,
        );
      });
      if (applied === 'held') {
        report.held.push(...migrations.slice(i).map((x) => x.name));
        break;
      }
      (applied ? report.applied : report.alreadyApplied).push(m.name);
    }
    return report;
  } finally {
    await client.end();
  }

  function applyOne(m: MigrationFile): Promise<boolean | 'held'> {
    return withLock(client, async () => {
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
      // Older processes may still use what a contract migration removes: the database had
      // migrations before this run (a new one has none, so nothing older can be running).
      if (m.contract && options.contract === 'hold' && report.alreadyApplied.length > 0)
        return 'held' as const;
      // The check above left an unnamed portal, and with it a snapshot, open in this
      // transaction; a simple-protocol statement drops it, so the concurrent index builds of
      // a no-transaction migration do not wait for this very transaction.
      await client.query('SELECT 1');
      if (!m.noTransaction)
        await client.query(
          `SET LOCAL lock_timeout = ${Math.max(1, Math.round(locks.lockTimeoutMs))}`,
        );
      await (m.noTransaction ? runStatements(databaseUrl, m.sql) : client.query(m.sql)).catch(
        (error: Error & { code?: string }) => {
          if (!m.noTransaction && error.code === '55P03') throw new LockTimeout(error.message);
          throw new Error(`Migration ${m.name} failed: ${error.message}`);
        },
      );
      await client.query('INSERT INTO _hub_migrations (name, checksum) VALUES ($1, $2)', [
        m.name,
        m.checksum,
      ]);
      return true;
    });
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
