import { randomBytes } from 'node:crypto';
import { Client, type ClientBase } from 'pg';
import { migrate, readMigrations } from '../../src/platform/database/migrator';

/** The machine's PostgreSQL (trust auth); .ci/run starts it when it is down. */
export const ADMIN_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
/**
 * The migrated template each test file copies. Named per run (global setup sets it; Jest workers
 * inherit the environment) so two test runs on one machine never drop each other's template.
 */
export function templateDb(): string {
  const name = process.env.HUB_TEST_TEMPLATE_DB;
  if (!name)
    throw new Error(
      'HUB_TEST_TEMPLATE_DB is unset: run the integration tests through Jest (global setup)',
    );
  return name;
}
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A private, already-migrated database per test file, copied from the template in ~100 ms. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `hub_test_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`);
  return {
    name,
    url: databaseUrl(name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** For a describe block: a private database and a pg client connected to it, both gone after. */
export function useTestDatabase(): { readonly db: TestDatabase; readonly client: Client } {
  const held = {} as { db: TestDatabase; client: Client };
  beforeAll(async () => {
    held.db = await createTestDatabase();
    held.client = new Client({ connectionString: held.db.url });
    await held.client.connect();
  });
  afterAll(async () => {
    await held.client?.end();
    await held.db?.drop();
  });
  return held;
}

/**
 * For a describe block: a database of its own as an older release left it, migrated up to but
 * not including the migration `before` (not a template copy), and a pg client on it; both gone
 * after. For tests of a migration on an existing database.
 */
export function useDatabaseBefore(
  before: string,
  label: string,
): { readonly url: string; readonly client: Client } {
  const name = `hub_test_${label}_${randomBytes(4).toString('hex')}`;
  const held = { url: databaseUrl(name) } as { url: string; client: Client };
  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${name}`);
    await migrate(
      held.url,
      readMigrations().filter((m) => m.name < before),
    );
    held.client = new Client({ connectionString: held.url });
    await held.client.connect();
  });
  afterAll(async () => {
    await held.client?.end();
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  return held;
}

/**
 * The plan PostgreSQL makes for `text` as a prepared statement, `mode` forced (custom: for these
 * values; generic: the one it may keep, made without them), EXECUTE's arguments `args` (SQL
 * literals). Arrays of literals are shown as '{…}', so a failure shows the plan.
 */
export async function explainPrepared(
  client: Pick<ClientBase, 'query'>,
  text: string,
  mode: 'custom' | 'generic',
  args: string,
): Promise<string> {
  await client.query(`SET plan_cache_mode = force_${mode}_plan`);
  await client.query(`PREPARE plan_probe AS ${text}`);
  try {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN EXECUTE plan_probe(${args})`,
    );
    return rows.map((r) => r['QUERY PLAN'].replace(/'\{[^}]*\}'/g, "'{…}'")).join('\n');
  } finally {
    await client.query('DEALLOCATE plan_probe');
    await client.query('RESET plan_cache_mode');
  }
}
