import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../../src/platform/database/migrator';
import { adminQuery, databaseUrl } from '../support/database';

/**
 * Review finding: while a no-transaction migration runs on a second connection, the migrator's
 * own connection sits idle in the transaction that holds the lock. A database with an
 * idle-in-transaction timeout (common on managed PostgreSQL) ended it: the lock went, and the
 * migration that did run could not be recorded.
 */
describe('migrator under an idle-in-transaction timeout', () => {
  const name = `hub_test_idle_${randomBytes(4).toString('hex')}`;
  const url = databaseUrl(name);

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${name}`);
    await adminQuery(`ALTER DATABASE ${name} SET idle_in_transaction_session_timeout = '200ms'`);
  });
  afterAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('records a no-transaction migration that runs longer than the timeout', async () => {
    const sql =
      '-- hub:no-transaction\nCREATE TABLE IF NOT EXISTS slow_t (id int);\nSELECT pg_sleep(0.6);\n';
    const report = await migrate(url, [
      { name: '20990101000000_slow', sql, checksum: 'slow', noTransaction: true },
    ]);
    expect(report.applied).toEqual(['20990101000000_slow']);
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query<{ name: string }>('SELECT name FROM _hub_migrations');
      expect(rows.map((r) => r.name)).toEqual(['20990101000000_slow']);
    } finally {
      await db.end();
    }
  });
});
