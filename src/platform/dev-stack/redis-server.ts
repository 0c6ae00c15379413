import { spawn, type ChildProcess } from 'node:child_process';
import { waitUntilListening } from './probe';

/**
 * A private redis-server on 127.0.0.1 without persistence, so that stopping it wipes every queue
 * (the harshest case). The dev stack runs one when no Redis answers; the Redis outage e2e test
 * and the fault suite run their own so that stopping it never disturbs the machine's Redis; the
 * cluster and sentinel tests start theirs with `args` (cluster mode, replicaof, --sentinel).
 */
export async function spawnRedisServer(
  port: number,
  opts: { dir?: string; logFile?: string; args?: string[]; config?: string } = {},
): Promise<ChildProcess> {
  // `config`: a config file first (a sentinel needs one it can rewrite); `args` after ours.
  const args = [
    ...(opts.config ? [opts.config] : []),
    ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  ];
  if (opts.dir) args.push('--dir', opts.dir);
  if (opts.logFile) args.push('--logfile', opts.logFile);
  args.push(...(opts.args ?? []));
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const failed = new Promise<Error>((resolve) => child.once('error', resolve));
  const up = await Promise.race([waitUntilListening('127.0.0.1', port, 10_000), failed]);
  if (up instanceof Error)
    throw new Error(`redis-server could not be run (${up.message}): apt-get install redis-server`);
  if (!up) {
    child.kill();
    throw new Error(`redis-server did not start on port ${port}`);
  }
  return child;
}
