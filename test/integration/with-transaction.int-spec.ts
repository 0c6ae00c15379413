import { Pool, type ClientBase } from 'pg';
import { withTransaction } from '../../src/platform/database/with-transaction';
import { useTestDatabase } from '../support/database';

/** The one transaction helper, on a private database: on a pool, and on a connected client. */
describe('withTransaction', () => {
  const database = useTestDatabase();
  let pool: Pool;
  beforeAll(async () => {
    pool = new Pool({ connectionString: database.db.url, max: 2 });
    pool.on('error', () => undefined);
    await pool.query('CREATE TABLE tx_probe (n int)');
  });
  afterAll(() => pool.end());
  beforeEach(() => pool.query('TRUNCATE tx_probe'));

  const rows = async () =>
    (await pool.query<{ n: number }>('SELECT n FROM tx_probe ORDER BY n')).rows.map((r) => r.n);
  const insert = (client: ClientBase, n: number) =>
    client.query('INSERT INTO tx_probe (n) VALUES ($1)', [n]);

  it('commits what the work wrote and returns its result; the connection goes back', async () => {
    const result = await withTransaction(pool, async (client) => {
      await insert(client, 1);
      await insert(client, 2);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await rows()).toEqual([1, 2]);
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  it('rolls everything back when the work throws, and rethrows its error', async () => {
    const failure = new Error('planned');
    await expect(
      withTransaction(pool, async (client) => {
        await insert(client, 1);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await rows()).toEqual([]);
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  it.each([
    [undefined, 'read committed'],
    ['repeatable read', 'repeatable read'],
    ['serializable', 'serializable'],
  ] as const)('isolation %s → %s', async (isolation, expected) => {
    const level = await withTransaction(
      pool,
      async (client) =>
        (
          await client.query<{ l: string }>('SELECT current_setting($1) AS l', [
            'transaction_isolation',
          ])
        ).rows[0].l,
      { isolation },
    );
    expect(level).toBe(expected);
  });

  it('runs on a connected client as given: commit, then rollback, the client still usable', async () => {
    const client = database.client;
    await client.query('CREATE TABLE IF NOT EXISTS tx_probe (n int)');
    await withTransaction(client, (c) => insert(c, 5));
    await expect(
      withTransaction(client, async (c) => {
        await insert(c, 6);
        throw new Error('planned');
      }),
    ).rejects.toThrow('planned');
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(await rows()).toEqual([5]);
  });

  it('a connection reset mid-transaction rejects the work, never the process; the connection is discarded', async () => {
    await expect(
      withTransaction(pool, async (client) => {
        await insert(client, 1);
        const { rows: me } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const ended = new Promise((resolve) => client.once('end', resolve));
        // Reset while idle in the transaction: the driver reports it as an 'error' event.
        await pool.query('SELECT pg_terminate_backend($1)', [me[0].pid]);
        await ended;
        await insert(client, 2);
      }),
    ).rejects.toThrow();
    expect(pool.totalCount).toBe(pool.idleCount);
    await withTransaction(pool, (client) => insert(client, 3));
    expect(await rows()).toEqual([3]);
  });
});
