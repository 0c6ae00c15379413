import { deliverThroughFailover, FAILOVER_TEST_MS } from '../support/failover-delivery';
import { keysUnder, startSentinelSet, type SentinelSetHandle } from '../support/redis-servers';
import { startTestHub, type TestHub } from '../support/test-hub';

/** BullMQ behind real sentinels: one master, one replica, three sentinels on private ports. */
describe('the hub on a Redis sentinel set', () => {
  let sentinels: SentinelSetHandle;
  let hub: TestHub;

  beforeAll(async () => {
    sentinels = await startSentinelSet();
    hub = await startTestHub({ env: sentinels.env });
  });
  afterAll(async () => {
    await hub?.close();
    await sentinels?.stop();
  });

  it(
    'loses nothing and delivers nothing twice when the master is killed and the replica promoted',
    async () => {
      const old = await sentinels.master();
      let promoted = 0;
      const { statuses, registrations } = await deliverThroughFailover(hub, async () => {
        promoted = await sentinels.killMaster();
      });
      expect(promoted).not.toBe(old);
      expect(statuses.every((s) => s === 'DELIVERED')).toBe(true);
      expect(registrations).toEqual(statuses.map(() => 1));
      // The queues live on the promoted master, not on the machine's Redis (REDIS_URL is set too).
      expect(await keysUnder(promoted, hub.config.env.redisPrefix)).not.toHaveLength(0);
      expect(await keysUnder(6379, hub.config.env.redisPrefix)).toHaveLength(0);
    },
    FAILOVER_TEST_MS,
  );
});
