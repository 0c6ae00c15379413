import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ADMIN_URL } from './database';
import { freePort, giveToPostgres, pgbouncerBin, runningAsRoot, stopChild } from './pg-servers';
import { waitFor } from './wait';

export interface PgBouncer {
  port: number;
  /** The same database reached through the pooler. */
  via(databaseUrl: string): string;
  /** A statement on PgBouncer's admin console (SHOW POOLS, SHOW SERVERS …). */
  show<R = { database: string } & Record<string, unknown>>(what: string): Promise<R[]>;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** Server connections per database and user: fewer than the hub's pool, as in production. */
  poolSize?: number;
  /** The PostgreSQL it pools (a URL; its host, port and user): the machine's by default. */
  upstream?: string;
}

/**
 * Debian's pgbouncer in transaction pooling mode, on a free loopback port in front of the
 * machine's PostgreSQL (or `upstream`), with its own ini and userlist in a temporary directory (trust
 * authentication, as the test PostgreSQL has). Stopped and removed by `stop`.
 */
export async function startPgBouncer(options: PgBouncerOptions = {}): Promise<PgBouncer> {
  const bin = pgbouncerBin();
  const upstream = new URL(options.upstream ?? ADMIN_URL);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hub-pgbouncer-'));
  giveToPostgres(dir);
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(join(dir, 'userlist.txt'), `"${upstream.username || 'postgres'}" ""\n`);
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${upstream.hostname} port=${upstream.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize ?? 4}`,
      'max_client_conn = 500',
      `admin_users = ${upstream.username || 'postgres'}`,
      // Log to stderr, which the test reads.
      'logfile =',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(bin, [...(runningAsRoot ? ['-u', 'postgres'] : []), ini], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const url = (database: string) => {
    const u = new URL(upstream);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    u.pathname = `/${database}`;
    return u.toString();
  };
  const show = async <R>(what: string): Promise<R[]> => {
    const client = new Client({ connectionString: url('pgbouncer') });
    await client.connect();
    try {
      return (await client.query(`SHOW ${what}`)).rows as R[];
    } finally {
      await client.end();
    }
  };
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`pgbouncer exited: ${output}`);
        return output.includes('process up');
      },
      { what: 'pgbouncer to listen', timeoutMs: 10_000 },
    );
  } catch (error) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    via: (databaseUrl) => url(new URL(databaseUrl).pathname.slice(1)),
    show,
    stop: async () => {
      await stopChild(child, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
