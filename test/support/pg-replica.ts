import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, giveToPostgres, runPgTool } from './pg-servers';
import { waitFor } from './wait';

export interface PgServer {
  port: number;
  /** postgresql://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** One statement, on a connection of its own. */
  query<R = Record<string, unknown>>(sql: string, database?: string): Promise<R[]>;
}

export interface PrimaryWithReplica {
  primary: PgServer;
  /** A hot standby streaming from the primary (made with pg_basebackup -R). */
  replica: PgServer & {
    /** Stops applying WAL (pg_wal_replay_pause), once it has replayed all the primary wrote. */
    pauseReplay(): Promise<void>;
    resumeReplay(): Promise<void>;
    /** Waits until the replica has replayed everything the primary has written so far. */
    caughtUp(): Promise<void>;
    /** Stops the standby (fast shutdown), as an outage of the replica. */
    down(): Promise<void>;
    /** Starts it again; it goes on streaming from where it was. */
    up(): Promise<void>;
  };
  stop(): Promise<void>;
}

function server(dir: string, port: number): PgServer {
  const url = (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    query: async <R>(sql: string, database?: string) => {
      const client = new Client({ connectionString: url(database) });
      await client.connect();
      try {
        return (await client.query(sql)).rows as R[];
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A throw-away primary (initdb, wal_level=replica, on a free loopback port) and a streaming
 * replica of it made with pg_basebackup -R and started as a hot standby on another port. Both
 * run as the postgres user when the tests run as root; nothing touches the machine's PostgreSQL.
 */
export async function startPrimaryWithReplica(): Promise<PrimaryWithReplica> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-replica-'));
  giveToPostgres(dir);
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primaryData = join(dir, 'primary');
  const replicaData = join(dir, 'replica');
  const started = new Set<string>();
  const start = async (data: string, port: number, log: string, extra = '') => {
    await runPgTool('pg_ctl', [
      '-D',
      data,
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100 ${extra}`,
      '-l',
      join(dir, log),
      '-w',
      'start',
    ]);
    started.add(data);
  };
  const stop = async () => {
    for (const data of [...started].reverse())
      await runPgTool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(
        () => undefined,
      );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await runPgTool('initdb', [
      '-D',
      primaryData,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await start(
      primaryData,
      primaryPort,
      'primary.log',
      '-c wal_level=replica -c max_wal_senders=4',
    );
    const primary = server(dir, primaryPort);
    await runPgTool('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      replicaData,
      '-R',
      '-X',
      'stream',
      // An immediate checkpoint on the primary, not a spread one the backup would wait for.
      '--checkpoint=fast',
      '--no-sync',
    ]);
    await start(replicaData, replicaPort, 'replica.log');
    const replica = server(dir, replicaPort);
    const [{ standby }] = await replica.query<{ standby: boolean }>(
      'SELECT pg_is_in_recovery() AS standby',
    );
    if (!standby) throw new Error('the replica did not start as a standby');

    const caughtUp = async () => {
      const [{ lsn }] = await primary.query<{ lsn: string }>(
        'SELECT pg_current_wal_lsn()::text AS lsn',
      );
      await waitFor(
        async () => {
          const [{ done }] = await replica.query<{ done: boolean }>(
            `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`,
          );
          return done;
        },
        { what: `the replica to replay up to ${lsn}` },
      );
    };
    return {
      primary,
      replica: {
        ...replica,
        caughtUp,
        pauseReplay: async () => {
          await caughtUp();
          await replica.query('SELECT pg_wal_replay_pause()');
          await waitFor(
            async () =>
              (
                await replica.query<{ state: string }>(
                  'SELECT pg_get_wal_replay_pause_state() AS state',
                )
              )[0].state === 'paused',
            { what: 'replay to pause' },
          );
        },
        resumeReplay: async () => {
          await replica.query('SELECT pg_wal_replay_resume()');
        },
        down: () => runPgTool('pg_ctl', ['-D', replicaData, '-m', 'fast', '-w', 'stop']),
        up: () => start(replicaData, replicaPort, 'replica.log'),
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
