import { Pool, type ClientBase, type PoolClient } from 'pg';

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

/**
 * Runs `work` in one transaction: BEGIN (at `isolation`, PostgreSQL's default otherwise), COMMIT
 * when it resolves, ROLLBACK when it throws (the error is rethrown as it was). Given a pool, the
 * transaction takes a connection of its own and gives it back afterwards, discarding it when the
 * connection broke. Given a connected client (a command-line tool's), it runs on that client.
 *
 * While the transaction runs, an 'error' on its connection (a reset between statements or under
 * one) is held, not thrown: a checked-out pool client has no listener of the pool's, and an
 * unhandled 'error' would end the process. The statement that was running rejects on its own.
 */
export async function withTransaction<T>(
  db: Pool | ClientBase,
  work: (client: ClientBase) => Promise<T>,
  { isolation }: { isolation?: IsolationLevel } = {},
): Promise<T> {
  const pooled = db instanceof Pool;
  const client: ClientBase = pooled ? await db.connect() : db;
  let broken: Error | undefined;
  const onError = (error: Error) => (broken ??= error);
  client.on('error', onError);
  try {
    const begin = isolation ? `BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}` : 'BEGIN';
    await client.query(begin).catch((error: Error) => {
      broken ??= error;
      throw error;
    });
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => (broken ??= e));
      throw error;
    }
  } finally {
    client.removeListener('error', onError);
    if (pooled) (client as PoolClient).release(broken);
  }
}
