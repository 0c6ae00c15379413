import { Queue, type JobsOptions } from 'bullmq';
import type { HubEnv } from '../config/hub-config';
import { bullConnection, queuePrefix } from './redis-connection';

/**
 * A queue handle on the hub's Redis (standalone, cluster or sentinel) under the queue's prefix. Producers fail fast while Redis is away
 * (see redis-connection); `worker` is for a handle that must wait for Redis instead, like the
 * one installing the SLA job schedulers. Errors surface on the call that hit them: the emitter
 * must not crash the process.
 */
export function openQueue<T = unknown>(
  env: Pick<HubEnv, 'redis' | 'redisPrefix'>,
  name: string,
  opts: { defaultJobOptions?: JobsOptions; role?: 'producer' | 'worker' } = {},
): Queue<T> {
  const { connection, release } = bullConnection(env.redis, opts.role ?? 'producer');
  const queue = new Queue<T>(name, {
    connection,
    prefix: queuePrefix(env, name),
    defaultJobOptions: opts.defaultJobOptions,
  });
  queue.on('error', () => undefined);
  const close = queue.close.bind(queue);
  queue.close = () => close().finally(release);
  return queue;
}
