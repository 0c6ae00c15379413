import type { ChildProcess } from 'node:child_process';
import IORedis from 'ioredis';
import { spawnRedisServer } from '../../src/platform/dev-stack/redis-server';
import { checkRedisNode } from '../../src/platform/health/redis-requirements';
import { freePort } from '../support/redis-servers';
import { startTestHub } from '../support/test-hub';

/** What BullMQ needs of Redis, checked against real redis-servers set up wrong. */
describe('Redis requirements at start', () => {
  const servers: ChildProcess[] = [];
  const clients: IORedis[] = [];
  const start = async (args: string[]) => {
    const port = await freePort();
    servers.push(await spawnRedisServer(port, { args }));
    return port;
  };
  const client = (port: number) => {
    const c = new IORedis({ port, host: '127.0.0.1' });
    clients.push(c);
    return c;
  };
  afterAll(() => {
    clients.forEach((c) => c.disconnect());
    servers.forEach((s) => s.kill('SIGKILL'));
  });

  it('refuses to start on a Redis that evicts keys, naming the setting', async () => {
    const port = await start(['--maxmemory-policy', 'allkeys-lru']);
    await expect(startTestHub({ redisUrl: `redis://127.0.0.1:${port}` })).rejects.toThrow(
      /maxmemory-policy allkeys-lru; BullMQ needs maxmemory-policy noeviction/,
    );
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
