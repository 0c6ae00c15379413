import type { ConnectionOptions } from 'bullmq';
import IORedis, { Cluster, type RedisOptions } from 'ioredis';
import type { HubEnv, RedisTopology } from '../config/hub-config';

export type RedisRole = 'worker' | 'producer';
export type RedisClient = IORedis | Cluster;

/**
 * Workers block on Redis and must retry forever (maxRetriesPerRequest: null); producers on the
 * relay path must fail fast instead of queueing commands while Redis is away, so the row stays
 * unqueued and is retried (row-relay).
 */
function roleOptions(role: RedisRole): RedisOptions {
  return {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 2_000,
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
  };
}

/** TLS to Redis when `on`, verified against `ca` (a private CA) or else Node's own CAs. */
const tlsOptions = (on: boolean, ca: string | undefined) => (on ? (ca ? { ca } : {}) : undefined);

/** Options of one standalone or sentinel-managed connection (never a cluster). */
function nodeOptions(
  topology: Exclude<RedisTopology, { kind: 'cluster' }>,
  role: RedisRole,
): RedisOptions {
  if (topology.kind === 'sentinel') {
    return {
      sentinels: topology.sentinels,
      name: topology.masterName,
      username: topology.username,
      password: topology.password,
      sentinelPassword: topology.sentinelPassword,
      // ioredis uses `tls` for the master the sentinels name only with this flag (the
      // sentinels themselves are reached in clear text).
      tls: tlsOptions(topology.tls, topology.tlsCa),
      enableTLSForSentinelMode: topology.tls,
      // A demoted master answers writes with READONLY: reconnecting asks the sentinels again.
      // (ioredis' failoverDetector would notice sooner, but its sentinel subscriptions outlive
      // a client closed while they are being set up: the process never exits.)
      reconnectOnError: (error: Error) => error.message.startsWith('READONLY'),
      ...roleOptions(role),
    };
  }
  const parsed = new URL(topology.url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: tlsOptions(parsed.protocol === 'rediss:', topology.tlsCa),
    ...roleOptions(role),
  };
}

/** A client of its own (the caller disconnects it), for anything that is not a BullMQ queue. */
export function openRedisClient(
  topology: RedisTopology,
  role: RedisRole,
  extra: { lazyConnect?: boolean } = {},
): RedisClient {
  if (topology.kind !== 'cluster') return new IORedis({ ...nodeOptions(topology, role), ...extra });
  const { maxRetriesPerRequest, enableOfflineQueue, connectTimeout } = roleOptions(role);
  return new Cluster(topology.nodes, {
    ...extra,
    enableOfflineQueue,
    clusterRetryStrategy: (times: number) => Math.min(times * 200, 2_000),
    redisOptions: {
      username: topology.username,
      password: topology.password,
      tls: tlsOptions(topology.tls, topology.tlsCa),
      maxRetriesPerRequest,
      connectTimeout,
    },
  });
}

/**
 * A BullMQ connection. BullMQ builds standalone and sentinel clients from options itself, but
 * takes a cluster only as a client: `release` disconnects that client after the queue or worker
 * using it has closed (BullMQ never closes a client it was given).
 */
export function bullConnection(
  topology: RedisTopology,
  role: RedisRole,
): { connection: ConnectionOptions; release: () => void } {
  if (topology.kind !== 'cluster')
    return {
      connection: nodeOptions(topology, role) as ConnectionOptions,
      release: () => undefined,
    };
  const client = openRedisClient(topology, role);
  client.on('error', () => undefined);
  return { connection: client, release: () => client.disconnect() };
}

/**
 * The key prefix of one queue. A BullMQ queue's Lua scripts touch many keys at once, and a
 * cluster runs a script only when every key is in one slot: the hash tag `{queue}` puts all of a
 * queue's keys in one slot, and a tag per queue spreads the queues over the masters. Outside a
 * cluster the prefix stays as it always was (a change would strand queued work).
 */
export function queuePrefix(env: Pick<HubEnv, 'redis' | 'redisPrefix'>, queue: string): string {
  return env.redis.kind === 'cluster' ? `${env.redisPrefix}:{${queue}}` : env.redisPrefix;
}
