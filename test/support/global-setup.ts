import { migrate } from '../../src/platform/database/migrator';
import { Client } from 'pg';
import { ADMIN_URL, adminQuery, databaseUrl } from './database';
import { missingPrograms } from './preflight';

/** Builds this run's migrated template database, which every test file copies. */
export default async function globalSetup(): Promise<void> {
  const missing = missingPrograms();
  if (missing.length > 0)
    throw new Error(`The test suite needs programs this machine lacks:\n- ${missing.join('\n- ')}`);
  const name = `hub_test_template_${process.pid}`;
  process.env.HUB_TEST_TEMPLATE_DB = name;
  try {
    // Templates left by runs that were killed before their teardown.
    await dropStaleTemplates();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable for the integration tests (${(error as Error).message}). ` +
        'Start it (see .ci/run) or set TEST_DATABASE_ADMIN_URL.',
    );
  }
  await adminQuery(`CREATE DATABASE ${name}`);
  await migrate(databaseUrl(name));
}

async function dropStaleTemplates(): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'hub_test_template_%'`,
    );
    for (const { datname } of rows) {
      const pid = Number(datname.slice('hub_test_template_'.length));
      if (!isAlive(pid)) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
