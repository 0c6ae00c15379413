import { OutboxRelay } from '../../src/dispatch/outbox-relay.service';
import { DispatchQueues } from '../../src/dispatch/dispatch-queues.service';
import { lodgeDispatch } from './delivery';
import type { TestHub } from './test-hub';
import { waitFor } from './wait';

const PORTAL = 'UP-IGRS';

/** How long a failover test may wait for every dispatch to settle (see settleAll). */
export const FAILOVER_SETTLE_MS = 100_000;
/** A failover test's own timeout: the settle wait plus lodging and the failover itself. */
export const FAILOVER_TEST_MS = FAILOVER_SETTLE_MS + 50_000;

/**
 * Lodges grievances for UP-IGRS, runs `failover` once deliveries are under way and lodges more
 * while it runs, then waits until every dispatch is settled. Returns each dispatch's status and
 * how many times the portal registered it: a failover must lose nothing and deliver nothing twice.
 */
export async function deliverThroughFailover(
  hub: TestHub,
  failover: () => Promise<unknown>,
  { before = 12, during = 8 } = {},
): Promise<{ statuses: string[]; registrations: number[] }> {
  const portal = hub.sandboxes[PORTAL];
  // Slow answers keep attempts in flight on the worker when the master goes.
  portal.injectFaults({ latencyMs: 40 });
  const ids = (await Promise.all(Array.from({ length: before }, () => lodgeDispatch(hub)))).map(
    (g) => g.dispatchId,
  );
  await waitFor(
    async () => (await hub.prisma.dispatch.count({ where: { status: 'DELIVERED' } })) > 0,
    { what: 'deliveries to be under way' },
  );
  const failing = failover();
  for (let i = 0; i < during; i++) ids.push((await lodgeDispatch(hub)).dispatchId);
  await failing;
  await settleAll(hub, ids);
  portal.injectFaults({ latencyMs: 0 });
  const rows = await hub.prisma.dispatch.findMany({ where: { id: { in: ids } } });
  const byId = new Map(rows.map((r) => [r.id, r.status as string]));
  return {
    statuses: ids.map((id) => byId.get(id) ?? 'missing'),
    registrations: ids.map((id) => portal.countByClientRef(id)),
  };
}

/**
 * Waits until no dispatch is PENDING. A job the old master acknowledged but never replicated is
 * gone after a failover; in production the relay's sweep re-queues it once the row has sat
 * untouched for SWEEP.ageMs, which the test shortens by ageing exactly those rows.
 */
async function settleAll(hub: TestHub, ids: string[]): Promise<void> {
  const queues = hub.app.get(DispatchQueues);
  await waitFor(
    async () => {
      const pending = await hub.prisma.dispatch.findMany({
        where: { id: { in: ids }, status: 'PENDING' },
        select: { id: true },
      });
      if (pending.length === 0) return true;
      // Still waiting for the relay: not lost, just not queued yet.
      if (
        pending.length > 0 &&
        (await hub.prisma.dispatch.count({
          where: { id: { in: ids }, status: 'PENDING', queuedAt: null },
        })) > 0
      )
        return false;
      const vanished: string[] = [];
      for (const { id } of pending) {
        if (!(await queues.hasLiveJob(PORTAL, id))) vanished.push(id);
      }
      if (vanished.length === 0) return false;
      await hub.prisma.$executeRaw`UPDATE dispatches SET queued_at = now() - interval '10 minutes'
        WHERE id = ANY(${vanished}::uuid[]) AND status = 'PENDING'`;
      await hub.app.get(OutboxRelay).sweep();
      return false;
    },
    // A job that was active on the old master comes back through BullMQ's stalled-job check only
    // once its lock has expired (lockDuration 30 s, checked every stalledInterval 30 s): up to a
    // minute on a busy machine before its delivery is even retried.
    {
      timeoutMs: FAILOVER_SETTLE_MS,
      intervalMs: 250,
      what: 'every dispatch to settle after the failover',
    },
  );
}
