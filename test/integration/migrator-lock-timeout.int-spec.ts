import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate, type MigrationFile } from '../../src/platform/database/migrator';
import { adminQuery, databaseUrl } from '../support/database';
import { waitFor } from '../support/wait';

const ADD_COLUMN: MigrationFile = {
  name: '20990101000000_add_column',
  sql: 'ALTER TABLE t ADD COLUMN b int;',
  checksum: 'add-column',
  noTransaction: false,
};

/**
 * A transactional migration's DDL waits for its lock behind a long transaction, and every
 * reader and writer of that table would queue behind the waiting DDL: the hub stalls. Each
 * attempt now waits at most lock_timeout, rolls back and is tried again, so readers get through
 * between attempts; it is applied once the long transaction ends.
 */
describe('migrator: lock waits are bounded', () => {
  const name = `hub_test_locks_${randomBytes(4).toString('hex')}`;
  const url = databaseUrl(name);
  const clients: Client[] = [];
  const connect = async () => {
    const c = new Client({ connectionString: url });
    await c.connect();
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${name}`);
    const setup = await connect();
    await setup.query('CREATE TABLE t (a int); INSERT INTO t VALUES (1)');
  });
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('lets readers through while a long transaction holds the table, then applies', async () => {
    const holder = await connect();
    await holder.query('BEGIN');
    await holder.query('SELECT a FROM t'); // ACCESS SHARE until COMMIT
    const migrating = migrate(url, [ADD_COLUMN], {
      lockTimeoutMs: 50,
      lockPauseMs: 20,
      lockAttempts: 10_000,
    });
    // Once the ALTER waits for its lock, a reader queues behind it; without the bound the ALTER
    // waits for the holder, which this test ends only after the read: it would never return.
    const reader = await connect();
    await waitFor(
      async () => {
        const { rows: waiting } = await reader.query(
          `SELECT 1 FROM pg_stat_activity
         WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE 'ALTER TABLE t%'`,
          [name],
        );
        return waiting.length > 0;
      },
      { what: 'the migration to wait for its lock' },
    );
    const { rows } = await reader.query<{ a: number }>('SELECT a FROM t');
    expect(rows).toEqual([{ a: 1 }]);
    await holder.query('COMMIT');
    expect((await migrating).applied).toEqual([ADD_COLUMN.name]);
    const { rows: columns } = await reader.query<{ b: number | null }>('SELECT b FROM t');
    expect(columns).toEqual([{ b: null }]);
  });

  it('gives up after its attempts, naming the migration and what to look at', async () => {
    const holder = await connect();
    await holder.query('BEGIN');
    await holder.query('SELECT a FROM t');
    const next: MigrationFile = {
      ...ADD_COLUMN,
      name: '20990101000100_more',
      sql: 'ALTER TABLE t ADD COLUMN c int;',
      checksum: 'more',
    };
    await expect(
      migrate(url, [ADD_COLUMN, next], { lockTimeoutMs: 20, lockPauseMs: 5, lockAttempts: 3 }),
    ).rejects.toThrow(
      /20990101000100_more did not get its locks within 20 ms, 3 times: .*pg_stat_activity/,
    );
    await holder.query('COMMIT');
  });
});
