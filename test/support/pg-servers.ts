import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * Where the tests find PostgreSQL's and PgBouncer's own programs, and how they run them: the
 * servers a test starts for itself (a pooler, a primary and its replica) on loopback ports,
 * never the machine's shared PostgreSQL. .ci/run installs what is missing (apt-get); a test
 * started without it fails at once, naming the program.
 */

/** A TCP port on 127.0.0.1 that nothing listens on just now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
  });
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup): PG_BIN_DIR or Debian's. */
export function pgBinDir(): string {
  const candidates = [process.env.PG_BIN_DIR, '/usr/lib/postgresql/15/bin'].filter(
    (d): d is string => !!d,
  );
  const dir = candidates.find((d) =>
    ['initdb', 'pg_ctl', 'pg_basebackup'].every((tool) => executable(join(d, tool))),
  );
  if (!dir)
    throw new Error(
      `initdb, pg_ctl and pg_basebackup not found in ${candidates.join(' or ')}: install ` +
        'postgresql-15 or set PG_BIN_DIR',
    );
  return dir;
}

/** Debian's pgbouncer (apt-get install pgbouncer; .ci/run does), or PGBOUNCER_BIN. */
export function pgbouncerBin(): string {
  const candidates = [process.env.PGBOUNCER_BIN, '/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'];
  const found = candidates.find((p): p is string => !!p && executable(p));
  if (!found)
    throw new Error(
      'pgbouncer is not installed: apt-get install pgbouncer (as .ci/run does) or set PGBOUNCER_BIN',
    );
  return found;
}

/** PostgreSQL and PgBouncer refuse to run as root: as root, they run as the postgres user. */
export const runningAsRoot = process.getuid?.() === 0;

/** Hands a directory the servers write to over to the postgres user when the tests run as root. */
export function giveToPostgres(dir: string): void {
  if (!runningAsRoot) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  chownSync(dir, uid, gid);
}

/** Runs one of PostgreSQL's programs to completion; its output is in the error if it fails. */
export function runPgTool(tool: string, args: string[]): Promise<void> {
  const path = join(pgBinDir(), tool);
  const [cmd, argv] = runningAsRoot
    ? ['runuser', ['-u', 'postgres', '--', path, ...args]]
    : [path, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${tool} ${args.join(' ')} failed: ${output}`)),
    );
  });
}

/** Stops a server the test spawned (by its own process), waiting for it to be gone. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}
