import { spawn, type ChildProcess } from 'node:child_process';
import { waitUntilListening } from './probe';

/**
 * A private redis-server on 127.0.0.1 without persistence, so that stopping it wipes every queue
 * (the harshest case). The dev stack runs one when no Redis answers; the Redis outage e2e test
 * and the fault suite run their own so that stopping it never disturbs the machine's Redis.
 */
export async function spawnRedisServer(
  port: number,
  opts: { dir?: string; logFile?: string } = {},
): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  if (opts.dir) args.push('--dir', opts.dir);
  if (opts.logFile) args.push('--logfile', opts.logFile);
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  if (!(await waitUntilListening('127.0.0.1', port, 10_000))) {
    child.kill();
    throw new Error(`redis-server did not start on port ${port}`);
  }
  return child;
}
