import { migrate } from '../../src/platform/database/migrator';
import { adminQuery, databaseUrl, TEMPLATE_DB } from './database';

/** Builds the migrated template database every test file copies. */
export default async function globalSetup(): Promise<void> {
  try {
    await adminQuery(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable for the integration tests (${(error as Error).message}). ` +
        'Start it (see .ci/run) or set TEST_DATABASE_ADMIN_URL.',
    );
  }
  await adminQuery(`CREATE DATABASE ${TEMPLATE_DB}`);
  await migrate(databaseUrl(TEMPLATE_DB));
}
