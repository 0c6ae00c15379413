import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import request from 'supertest';
import { spawnRedisServer } from '../../src/platform/dev-stack/redis-server';
import { checkRedisNode } from '../../src/platform/health/redis-requirements';
import { freePort, kill } from '../support/redis-servers';
import { startTestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

/** What BullMQ needs of Redis, checked against real redis-servers set up wrong. */
describe('Redis requirements at start', () => {
  const servers: ChildProcess[] = [];
  const clients: IORedis[] = [];
  // Its own directory: CONFIG SET appendonly yes writes files there.
  const dir = mkdtempSync(join(tmpdir(), 'hub-redis-req-'));
  const start = async (args: string[]) => {
    const port = await freePort();
    servers.push(await spawnRedisServer(port, { args, dir }));
    return port;
  };
  const client = (port: number) => {
    const c = new IORedis({ port, host: '127.0.0.1' });
    clients.push(c);
    return c;
  };
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await Promise.all(servers.map(kill));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start on a Redis that evicts keys, naming the setting', async () => {
    const port = await start(['--maxmemory-policy', 'allkeys-lru']);
    await expect(startTestHub({ redisUrl: `redis://127.0.0.1:${port}` })).rejects.toThrow(
      /maxmemory-policy allkeys-lru; BullMQ needs maxmemory-policy noeviction/,
    );
  });

  it('keeps a hub whose Redis came up evicting keys after it started out of the load balancer', async () => {
    const port = await freePort();
    const hub = await startTestHub({ redisUrl: `redis://127.0.0.1:${port}` });
    try {
      servers.push(
        await spawnRedisServer(port, { args: ['--maxmemory-policy', 'allkeys-lru'], dir }),
      );
      const res = await waitFor(
        async () => {
          const r = await request(hub.url).get('/health/ready');
          return r.status === 503 && JSON.stringify(r.body).includes('maxmemory-policy') && r;
        },
        { what: 'readiness to name the eviction policy' },
      );
      expect(res.body.error.redis.message).toMatch(/maxmemory-policy allkeys-lru.*noeviction/);
    } finally {
      await hub.close();
    }
  });

  it('warns in production when Redis persists nothing, and not once appendonly is on', async () => {
    const port = await start(['--maxmemory-policy', 'noeviction']);
    const node = client(port);
    expect(await checkRedisNode(node, true)).toEqual([
      expect.stringMatching(/persists nothing \(appendonly no, save ""\)/),
    ]);
    expect(await checkRedisNode(node, false)).toEqual([]);
    await node.config('SET', 'appendonly', 'yes');
    expect(await checkRedisNode(node, true)).toEqual([]);
  });
});
