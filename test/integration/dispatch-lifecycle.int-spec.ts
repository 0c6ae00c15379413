import { randomUUID } from 'node:crypto';
import { DispatchQueues } from '../../src/dispatch/dispatch-queues.service';
import { DispatchRepository } from '../../src/dispatch/dispatch.repository';
import { LifecycleRepository } from '../../src/lifecycle/lifecycle.repository';
import { OutboxRelay } from '../../src/dispatch/outbox-relay.service';
import { BackgroundHealth } from '../../src/platform/health/background-health';
import { HubMetrics } from '../../src/platform/metrics/metrics.service';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { dispatchJobId, dispatchQueueName } from '../../src/platform/queue/queue-names';
import { bullConnection, queuePrefix } from '../../src/platform/queue/redis-connection';
import { useMedium } from '../support/medium';
import { insertGrievance } from '../support/staff-fixtures';

/**
 * Medium tier: the dispatch's status steps (routed by the relay, delivered, failed, retried by
 * staff) set `status_from` like every other status write (issue 11 residual, issue 13 §1), and
 * keep `status_at`, the bound portal events are ordered against: the last portal-dated status,
 * or none (src/lifecycle/lifecycle.sql.ts, HUB_STEP_AT).
 */
describe('dispatch status steps', () => {
  const medium = useMedium();
  let repository: DispatchRepository;
  beforeAll(() => {
    repository = new DispatchRepository(medium.prisma, new LifecycleRepository(medium.prisma));
  });

  const createdAt = new Date(Date.now() - 60_000);
  const complaint = (id: string) =>
    medium.prisma.complaint.findUniqueOrThrow({
      where: { id },
      select: { status: true, statusFrom: true, statusAt: true },
    });
  /** Lodged: its dispatch waits for the relay (`queued_at` NULL). */
  const lodged = () =>
    insertGrievance(medium, {
      status: 'RECEIVED',
      portal: 'UP-IGRS',
      createdAt,
      deliveredAt: null,
      dispatchQueuedAt: null,
    });
  /** One pass of the dispatch relay, its jobs going nowhere. */
  const relayOnce = () =>
    repository.relay({ add: async () => undefined, withoutLiveJob: async (rows) => rows }).drain();
  const deliver = (dispatchId: string, at = new Date()) =>
    repository.markDelivered({
      dispatch: { id: dispatchId, portalCode: 'UP-IGRS' },
      claim: 0,
      externalRef: `REF-${dispatchId}`,
      deliveredAt: at,
      slaDueAt: new Date(at.getTime() + 86_400_000),
    });
  const fail = (g: { id: string; dispatchId: string }) =>
    repository.markFailed(
      { id: g.dispatchId, complaintId: g.id, portalCode: 'UP-IGRS', primary: true },
      0,
      'portal said no',
    );

  it('routed by the relay: from RECEIVED, status_at untouched', async () => {
    const g = await lodged();
    expect(await relayOnce()).toBe(1);
    expect(await complaint(g.id)).toEqual({
      status: 'ROUTED',
      statusFrom: 'RECEIVED',
      statusAt: null,
    });
  });

  it('delivered: from ROUTED, status_at untouched (portal events dated before the hub heard back still apply)', async () => {
    const g = await lodged();
    await relayOnce();
    expect(await deliver(g.dispatchId)).toBe(true);
    expect(await complaint(g.id)).toEqual({
      status: 'DELIVERED',
      statusFrom: 'ROUTED',
      statusAt: null,
    });
  });

  it('failed: from ROUTED, status_at untouched', async () => {
    const g = await lodged();
    await relayOnce();
    await fail(g);
    expect(await complaint(g.id)).toEqual({
      status: 'DISPATCH_FAILED',
      statusFrom: 'ROUTED',
      statusAt: null,
    });
  });

  it('delivered after a transfer: from TRANSFERRED, at the transfer (not a stale status_from)', async () => {
    const transferredAt = new Date(Date.now() - 30_000);
    const g = await lodged();
    await medium.prisma.$executeRaw`
      UPDATE complaints SET status = 'TRANSFERRED', status_at = ${transferredAt},
        status_from = 'IN_PROGRESS', delivered_at = ${createdAt}
      WHERE id = ${g.id}::uuid`;
    expect(await deliver(g.dispatchId)).toBe(true);
    const c = await medium.prisma.complaint.findUniqueOrThrow({ where: { id: g.id } });
    expect([c.status, c.statusFrom, c.statusAt]).toEqual([
      'DELIVERED',
      'TRANSFERRED',
      transferredAt,
    ]);
    expect(c.deliveredAt).toEqual(createdAt); // the SLA clock never resets
  });

  describe('staff retry goes through the relay', () => {
    let queues: DispatchQueues;
    let worker: Worker;
    /** One pass of the relay as the worker process runs it, into real queues. */
    let relayToQueues: () => Promise<number>;
    beforeAll(() => {
      queues = new DispatchQueues(medium.config);
      medium.onClose(() => queues.onApplicationShutdown());
      const relay = new OutboxRelay(repository, queues, new BackgroundHealth(new HubMetrics()));
      relayToQueues = () => relay.drain();
      // Takes jobs by hand (no processor): nothing runs unless the test says so.
      const queue = dispatchQueueName('UP-IGRS');
      worker = new Worker(queue, null, {
        connection: bullConnection(medium.config.env.redis, 'worker').connection,
        prefix: queuePrefix(medium.config.env, queue),
        autorun: false,
      });
      medium.onClose(() => worker.close());
    });

    /** Takes the next job and fails it for good, as a last attempt would. */
    async function failNextJob(): Promise<void> {
      const token = randomUUID();
      const job = (await worker.getNextJob(token)) as Job | undefined;
      if (!job) throw new Error('no job to fail');
      await job.moveToFailed(new UnrecoverableError('gave up'), token);
    }

    it('re-arms the dispatch, routes the grievance from DISPATCH_FAILED, and the relay queues it again', async () => {
      const g = await lodged();
      await relayToQueues();
      // The job ran out of attempts: it stays in the queue, failed, under its deterministic id.
      await failNextJob();
      expect(
        await (await queues.queue('UP-IGRS').getJob(dispatchJobId(g.dispatchId)))!.getState(),
      ).toBe('failed');
      await fail(g);

      expect(await repository.rearmFailed(g.dispatchId, 'tester')).toEqual({
        portalCode: 'UP-IGRS',
      });
      const d = await medium.prisma.dispatch.findUniqueOrThrow({ where: { id: g.dispatchId } });
      expect([d.status, d.attempts, d.claim]).toEqual(['PENDING', 0, 1]);
      expect(await complaint(g.id)).toEqual({
        status: 'ROUTED',
        statusFrom: 'DISPATCH_FAILED',
        statusAt: null,
      });
      const timeline = await medium.prisma.statusEvent.findMany({
        where: { complaintId: g.id, status: 'ROUTED' },
        orderBy: { recordedAt: 'asc' },
      });
      expect(timeline.map((e) => [e.source, e.remarks])).toEqual([
        ['hub', expect.stringMatching(/^Routed to UP-IGRS/)],
        ['staff', 'Delivery to UP-IGRS retried by staff (tester)'],
      ]);
      // Not failed twice: a second retry finds nothing to re-arm.
      expect(await repository.rearmFailed(g.dispatchId, 'tester')).toBeNull();

      expect(await relayToQueues()).toBe(1);
      const again = await queues.queue('UP-IGRS').getJob(dispatchJobId(g.dispatchId));
      expect(again?.data.correlationId).toBe(`retry-${g.dispatchId}`);
      expect(await again?.getState()).toBe('waiting');
    });

    it('a job still live for the dispatch is left to deliver it: no second job', async () => {
      const g = await lodged();
      await relayToQueues();
      await fail(g);
      expect(await repository.rearmFailed(g.dispatchId, 'tester')).not.toBeNull();
      await relayToQueues();
      const job = await queues.queue('UP-IGRS').getJob(dispatchJobId(g.dispatchId));
      expect(job?.data.correlationId).toBe(`fixture-${g.id}`); // the first job, untouched
      expect(await job?.getState()).toBe('waiting');
    });

    it('a dispatch that is not DISPATCH_FAILED is not re-armed and queues nothing', async () => {
      const g = await lodged();
      expect(await repository.rearmFailed(g.dispatchId, 'tester')).toBeNull();
      const d = await medium.prisma.dispatch.findUniqueOrThrow({ where: { id: g.dispatchId } });
      expect([d.status, d.claim, d.correlationId]).toEqual(['PENDING', 0, `fixture-${g.id}`]);
      expect((await complaint(g.id)).status).toBe('RECEIVED');
    });
  });
});
