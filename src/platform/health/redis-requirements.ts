import type IORedis from 'ioredis';
import { Cluster } from 'ioredis';
import type { HubEnv } from '../config/hub-config';
import { openRedisClient } from '../queue/redis-connection';

/** Redis is set up so that BullMQ would lose jobs: the process must not start. */
export class RedisRequirementError extends Error {}

const field = (info: string, name: string) =>
  new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? null;

/**
 * What BullMQ needs of every Redis node holding queues: an evicted key is a lost or broken job,
 * so `maxmemory-policy` must be `noeviction` (an error). Without persistence a restart empties
 * every queue (PostgreSQL's sweep re-queues deliveries, but only after minutes): a warning in
 * production. Returns the warnings.
 */
export async function checkRedisNode(node: IORedis, production: boolean): Promise<string[]> {
  const { sentinels, name, host, port } = node.options;
  const where = sentinels ? `Redis master ${name} (sentinel)` : `Redis at ${host}:${port}`;
  const policy = field(await node.info('memory'), 'maxmemory_policy');
  if (policy !== null && policy !== 'noeviction')
    throw new RedisRequirementError(
      `${where} has maxmemory-policy ${policy}; BullMQ needs maxmemory-policy noeviction ` +
        '(an evicted key is a lost job). Set it in redis.conf or with CONFIG SET.',
    );
  if (!production) return [];
  const aof = field(await node.info('persistence'), 'aof_enabled') === '1';
  // Managed services often forbid CONFIG: then only AOF can be seen.
  const save = await node.config('GET', 'save').then(
    (answer) => String((answer as string[])[1] ?? '').trim(),
    () => null,
  );
  if (aof || (save !== null && save !== '')) return [];
  return [
    `${where} persists nothing (appendonly no${save === '' ? ', save ""' : ''}): a restart ` +
      'empties every queue. Turn on appendonly (or RDB snapshots) in production.',
  ];
}

/**
 * Checks the hub's Redis before the app is built (nothing is connected yet to leak when it
 * refuses): throws RedisRequirementError on a wrong policy, returns the warnings to log.
 */
export async function checkRedisRequirements(env: HubEnv): Promise<string[]> {
  const client = openRedisClient(env.redis, 'producer', { lazyConnect: true });
  client.on('error', () => undefined);
  try {
    try {
      await Promise.race([
        client.connect(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('no answer within 5 s')), 5_000).unref(),
        ),
      ]);
    } catch (error) {
      // The hub starts without Redis (the outbox keeps every grievance); checked next start.
      return [
        `Redis is unreachable (${(error as Error).message}): its maxmemory-policy was not checked`,
      ];
    }
    const nodes = client instanceof Cluster ? client.nodes('master') : [client];
    const warnings: string[] = [];
    for (const node of nodes)
      warnings.push(...(await checkRedisNode(node, env.nodeEnv === 'production')));
    return warnings;
  } finally {
    client.disconnect();
  }
}
