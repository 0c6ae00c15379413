// Throw-away PostgreSQL cluster and Redis server for the fault suite: their own ports and
// directories, so stopping them never touches the machine's shared services.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, stopProcess } from '../../bench/lib/infra.mjs';

function pgBinDir() {
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' }).stdout?.trim();
  const candidates = [process.env.PG_BIN_DIR, fromConfig, '/usr/lib/postgresql/15/bin'].filter(
    Boolean,
  );
  const dir = candidates.find(
    (d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')),
  );
  if (!dir)
    throw new Error("initdb/pg_ctl not found: set PG_BIN_DIR to PostgreSQL's bin directory");
  return dir;
}

/** PostgreSQL refuses to run as root: run its tools as the postgres user then. */
function asPostgres(cmd, args) {
  const root = process.getuid?.() === 0;
  return root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

export async function startPostgresCluster(dir, port) {
  const bin = pgBinDir();
  const data = join(dir, 'pgdata');
  mkdirSync(data, { recursive: true });
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
    chownSync(data, uid, gid);
  }
  // Asynchronous: the suite's proxies and load generator share this event loop.
  const run = (tool, args) =>
    new Promise((resolve, reject) => {
      const [cmd, argv] = asPostgres(join(bin, tool), args);
      const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c) => (output += c));
      child.stderr.on('data', (c) => (output += c));
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${tool} failed: ${output}`)),
      );
    });
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const cluster = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start: async () => {
      await run('pg_ctl', [
        '-D',
        data,
        '-o',
        options,
        '-l',
        join(dir, 'postgres.log'),
        '-w',
        'start',
      ]);
    },
    /** Fast shutdown: every connection is cut, as in a crash-restart of the database. */
    stop: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    destroy: async () => {
      try {
        await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}

/** redis-server without persistence: a stop wipes every queue, the harshest case. */
export async function startRedisServer(port, logFile) {
  let proc = null;
  const redis = {
    url: `redis://127.0.0.1:${port}`,
    start: async () => {
      // The hub's own starter, from the build the suite runs (dist/ is checked before this).
      const { spawnRedisServer } = await import(
        join(ROOT, 'dist', 'src', 'platform', 'dev-stack', 'redis-server.js')
      );
      proc = await spawnRedisServer(port, { logFile });
    },
    stop: async () => {
      if (proc) await stopProcess(proc, 0, 'SIGKILL');
      proc = null;
    },
  };
  await redis.start();
  return redis;
}
