import { BackgroundHealth } from '../../src/platform/health/background-health';
import { DispatchQueues } from '../../src/dispatch/dispatch-queues.service';
import { DispatchRepository } from '../../src/dispatch/dispatch.repository';
import { LifecycleRepository } from '../../src/lifecycle/lifecycle.repository';
import { OutboxRelay } from '../../src/dispatch/outbox-relay.service';
import { HubMetrics } from '../../src/platform/metrics/metrics.service';
import { dispatchJobId, statusJobId } from '../../src/platform/queue/queue-names';
import { RelayRepository } from '../../src/inbound/relay.repository';
import { StatusQueues } from '../../src/inbound/status-queues.service';
import { StatusRelay } from '../../src/inbound/status-relay.service';
import { useMedium } from '../support/medium';
import { insertInboundEvent } from '../support/medium-fixtures';
import { DAY_MS, insertGrievance } from '../support/staff-fixtures';
import { waitFor } from '../support/wait';

/**
 * Medium tier: the PostgreSQL → BullMQ relays (dispatches, and status events) constructed
 * directly on a private database and Redis prefix. No worker runs: jobs stay where the relay
 * put them, for the test to look at.
 */
describe('relays', () => {
  const medium = useMedium();
  // Where a relay reports its failed runs.
  const background = new BackgroundHealth(new HubMetrics());

  describe('dispatch relay', () => {
    let queues: DispatchQueues;
    let repository: DispatchRepository;
    beforeAll(() => {
      queues = new DispatchQueues(medium.config);
      repository = new DispatchRepository(medium.prisma, new LifecycleRepository(medium.prisma));
      medium.onClose(() => queues.onApplicationShutdown());
    });

    /** A grievance just lodged for UP-IGRS: RECEIVED, its dispatch PENDING and not yet queued. */
    function lodged() {
      return insertGrievance(medium, {
        status: 'RECEIVED',
        portal: 'UP-IGRS',
        createdAt: new Date(),
        deliveredAt: null,
        dispatchQueuedAt: null,
      });
    }

    const routedEntries = (complaintId: string) =>
      medium.prisma.statusEvent.count({ where: { complaintId, status: 'ROUTED' } });
    const unpublished = () => medium.prisma.dispatch.count({ where: { queuedAt: null } });

    it('publishes a row once, routes its grievance, and then has nothing to do', async () => {
      const g = await lodged();
      expect(await new OutboxRelay(repository, queues, background).drain()).toBe(1);

      const job = await queues.queue('UP-IGRS').getJob(dispatchJobId(g.dispatchId));
      expect(job?.data).toEqual({ dispatchId: g.dispatchId, correlationId: `fixture-${g.id}` });
      expect(await job?.getState()).toBe('waiting');
      const c = await medium.prisma.complaint.findUniqueOrThrow({ where: { id: g.id } });
      expect(c.status).toBe('ROUTED');
      expect(await routedEntries(g.id)).toBe(1);
      expect(await unpublished()).toBe(0);

      expect(await new OutboxRelay(repository, queues, background).drain()).toBe(0);
    });

    it('a second relay skips the rows another is publishing; every row goes out once', async () => {
      const grievances = [];
      for (let i = 0; i < 30; i++) grievances.push(await lodged());
      // The first relay claims every row, then holds its transaction open while it "publishes".
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let claimed!: () => void;
      const publishing = new Promise<void>((resolve) => (claimed = resolve));
      const held = new DispatchQueues(medium.config);
      held.add = async (entries) => {
        claimed();
        await gate;
        return queues.add(entries);
      };
      const first = new OutboxRelay(repository, held, background).drain();
      await publishing;
      const second = new OutboxRelay(repository, queues, background).drain();
      // The second one skips the claimed rows and finishes, or (wrongly) waits for their locks.
      await Promise.race([
        second,
        waitFor(
          async () => {
            const [{ n }] = await medium.prisma.$queryRaw<{ n: number }[]>`
              SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`;
            return n > 0;
          },
          { what: 'the second relay to finish or to wait for a lock' },
        ),
      ]);
      release();
      expect(await Promise.all([first, second])).toEqual([30, 0]);
      for (const g of grievances) expect(await routedEntries(g.id)).toBe(1);
      expect(await unpublished()).toBe(0);
    });

    it('publishes nothing and routes nothing when the queue refuses the jobs', async () => {
      const g = await lodged();
      const refusing = new DispatchQueues(medium.config);
      refusing.add = () => Promise.reject(new Error('Redis is away'));
      await expect(new OutboxRelay(repository, refusing, background).drain()).rejects.toThrow(
        'Redis is away',
      );
      expect(await unpublished()).toBe(1);
      const c = await medium.prisma.complaint.findUniqueOrThrow({ where: { id: g.id } });
      expect(c.status).toBe('RECEIVED');
      expect(await routedEntries(g.id)).toBe(0);
      await refusing.onApplicationShutdown();

      // Redis back: the next pass publishes it.
      expect(await new OutboxRelay(repository, queues, background).drain()).toBe(1);
      expect(await queues.queue('UP-IGRS').getJob(dispatchJobId(g.dispatchId))).toBeDefined();
    });

    it('a relay dying after adding the job and before its commit: one job, one ROUTED entry', async () => {
      const g = await lodged();
      const dying = new DispatchQueues(medium.config);
      dying.add = async (entries) => {
        await queues.add(entries);
        throw new Error('relay process killed before the commit');
      };
      await expect(new OutboxRelay(repository, dying, background).drain()).rejects.toThrow(
        'killed',
      );
      await dying.onApplicationShutdown();
      // The job is in Redis, but the mark and the routing went with the transaction.
      expect(await queues.queue('UP-IGRS').getJob(dispatchJobId(g.dispatchId))).toBeDefined();
      expect(await unpublished()).toBe(1);
      expect(await routedEntries(g.id)).toBe(0);

      expect(await new OutboxRelay(repository, queues, background).drain()).toBe(1);
      expect(await unpublished()).toBe(0);
      expect(await routedEntries(g.id)).toBe(1);
      const jobs = await queues.queue('UP-IGRS').getJobs(['waiting']);
      expect(jobs.filter((j) => j.data.dispatchId === g.dispatchId)).toHaveLength(1);
    });

    it('the sweep re-queues a pending dispatch whose job vanished, and only that one', async () => {
      const [lost, waiting] = [await lodged(), await lodged()];
      const relay = new OutboxRelay(repository, queues, background);
      await relay.drain();
      // Both untouched for ten minutes; Redis lost the first one's job.
      await medium.prisma
        .$executeRaw`UPDATE dispatches SET queued_at = now() - interval '10 minutes'
        WHERE id IN (${lost.dispatchId}::uuid, ${waiting.dispatchId}::uuid)`;
      await queues.queue('UP-IGRS').remove(dispatchJobId(lost.dispatchId));

      expect(await relay.sweep()).toBe(1);
      const job = await queues.queue('UP-IGRS').getJob(dispatchJobId(lost.dispatchId));
      expect(job?.data).toEqual({
        dispatchId: lost.dispatchId,
        correlationId: `fixture-${lost.id}`,
      });
      // Re-queued: the next sweep finds its job waiting.
      expect(await new OutboxRelay(repository, queues, background).sweep()).toBe(0);
    });
  });

  describe('status relay', () => {
    let queues: StatusQueues;
    let repository: RelayRepository;
    beforeAll(() => {
      queues = new StatusQueues(medium.config, new HubMetrics());
      repository = new RelayRepository(medium.prisma);
      medium.onClose(() => queues.onApplicationShutdown());
    });

    const delivered = () =>
      insertGrievance(medium, {
        portal: 'UP-IGRS',
        createdAt: new Date(Date.now() - 5 * DAY_MS),
      });
    const event = (g: { id: string; dispatchId: string }, extra = {}) =>
      insertInboundEvent(medium.prisma, g, {
        status: 'IN_PROGRESS',
        occurredAt: new Date(),
        ...extra,
      });
    const unqueued = () => medium.prisma.inboundEvent.count({ where: { queuedAt: null } });

    it('queues stored events as one batch job, marks them queued, then has nothing to do', async () => {
      const g = await delivered();
      const ids = [await event(g), await event(g), await event(g)];
      expect(await new StatusRelay(repository, queues, background).drain()).toBe(3);

      const jobs = await queues.rows.inbound_events.queue.getJobs(['waiting']);
      const covering = jobs.filter((j) => j.data.ids?.some((id) => ids.includes(id)));
      expect(covering).toHaveLength(1);
      expect([...covering[0].data.ids!].sort()).toEqual([...ids].sort());
      expect(await unqueued()).toBe(0);

      expect(await new StatusRelay(repository, queues, background).drain()).toBe(0);
    });

    it('leaves the events unqueued when the queue refuses the job', async () => {
      const g = await delivered();
      const id = await event(g);
      const refusing = new StatusQueues(medium.config, new HubMetrics());
      refusing.rows.inbound_events.add = () => Promise.reject(new Error('Redis is away'));
      await expect(new StatusRelay(repository, refusing, background).drain()).rejects.toThrow(
        'Redis is away',
      );
      expect(await unqueued()).toBe(1);
      await refusing.onApplicationShutdown();

      expect(await new StatusRelay(repository, queues, background).drain()).toBe(1);
      const jobs = await queues.rows.inbound_events.queue.getJobs(['waiting']);
      expect(jobs.some((j) => j.data.ids?.includes(id))).toBe(true);
    });

    it('the sweep re-queues a stale event without a job, and leaves one whose job waits', async () => {
      const g = await delivered();
      const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
      const lost = await event(g, { queuedAt: tenMinutesAgo });
      const waiting = await event(g, { queuedAt: tenMinutesAgo });
      await queues.rows.inbound_events.add([{ id: waiting, correlationId: 'medium' }]);

      expect(await new StatusRelay(repository, queues, background).sweep()).toBe(1);
      expect(
        await queues.rows.inbound_events.queue.getJob(statusJobId.inbound(lost)),
      ).toBeDefined();
      expect(await new StatusRelay(repository, queues, background).sweep()).toBe(0);
    });
  });
});
