import { Queue, type JobsOptions } from 'bullmq';
import type { HubEnv } from '../config/hub-config';
import { redisConnection } from './redis-connection';

/**
 * A queue handle on the hub's Redis under its prefix. Producers fail fast while Redis is away
 * (see redis-connection); `worker` is for a handle that must wait for Redis instead, like the
 * one installing the SLA job schedulers. Errors surface on the call that hit them: the emitter
 * must not crash the process.
 */
export function openQueue<T = unknown>(
  env: Pick<HubEnv, 'redisUrl' | 'redisPrefix'>,
  name: string,
  opts: { defaultJobOptions?: JobsOptions; role?: 'producer' | 'worker' } = {},
): Queue<T> {
  const queue = new Queue<T>(name, {
    connection: redisConnection(env.redisUrl, opts.role ?? 'producer'),
    prefix: env.redisPrefix,
    defaultJobOptions: opts.defaultJobOptions,
  });
  queue.on('error', () => undefined);
  return queue;
}
