import type { ConnectionOptions } from 'bullmq';

/**
 * Workers block on Redis and must retry forever (maxRetriesPerRequest: null); producers on the
 * relay path must fail fast instead of queueing commands while Redis is away, so the row stays
 * unqueued and is retried (row-relay).
 */
export function redisConnection(url: string, role: 'worker' | 'producer'): ConnectionOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 2_000,
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
  };
}
