import IORedis from 'ioredis';
import { lodgeAndSettle } from '../support/delivery';
import { deliverThroughFailover, FAILOVER_TEST_MS } from '../support/failover-delivery';
import { keysUnder, startRedisCluster, type RedisClusterHandle } from '../support/redis-servers';
import { startTestHub, type TestHub } from '../support/test-hub';

/** BullMQ on a real Redis Cluster: three masters, each with a replica, on private ports. */
describe('the hub on Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  let hub: TestHub;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicas: 1 });
    hub = await startTestHub({ env: cluster.env });
  });
  afterAll(async () => {
    await hub?.close();
    await cluster?.stop();
  });

  it("keeps each queue's keys in one slot and spreads the queues over the masters", async () => {
    const { dispatch } = await lodgeAndSettle(hub);
    expect(dispatch.status).toBe('DELIVERED');

    const prefix = hub.config.env.redisPrefix;
    const mastersByQueue = new Map<string, Set<number>>();
    for (const port of cluster.ports) {
      const node = new IORedis({ port, host: '127.0.0.1' });
      try {
        if ((await node.role())[0] !== 'master') continue;
        for (const key of await node.keys(`${prefix}:*`)) {
          // `<prefix>:{<queue>}:<queue>:...`: the hash tag is the queue's name.
          const [, tag, queue] = /^[^:]+:\{([^}]+)\}:([^:]+):/.exec(key) ?? [];
          expect(tag).toBe(queue);
          mastersByQueue.set(queue, (mastersByQueue.get(queue) ?? new Set()).add(port));
        }
      } finally {
        node.disconnect();
      }
    }
    expect(mastersByQueue.get('dispatch-UP-IGRS')?.size).toBe(1);
    expect([...mastersByQueue.values()].every((masters) => masters.size === 1)).toBe(true);
    const used = new Set([...mastersByQueue.values()].flatMap((m) => [...m]));
    expect(used.size).toBeGreaterThan(1);
  });

  it(
    'loses nothing and delivers nothing twice when the master of a dispatch queue fails over',
    async () => {
      const master = await cluster.masterOf(`${hub.config.env.redisPrefix}:{dispatch-UP-IGRS}:x`);
      let promoted = 0;
      const { statuses, registrations } = await deliverThroughFailover(hub, async () => {
        promoted = await cluster.killMaster(master);
      });
      const prefix = hub.config.env.redisPrefix;
      expect(await keysUnder(promoted, `${prefix}:{dispatch-UP-IGRS}`)).not.toHaveLength(0);
      expect(statuses.every((s) => s === 'DELIVERED')).toBe(true);
      expect(registrations).toEqual(statuses.map(() => 1));
    },
    FAILOVER_TEST_MS,
  );
});
