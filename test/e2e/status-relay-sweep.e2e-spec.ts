import { BackgroundHealth } from '../../src/platform/health/background-health';
import { statusJobId } from '../../src/platform/queue/queue-names';
import { RelayRepository } from '../../src/inbound/relay.repository';
import { StatusQueues } from '../../src/inbound/status-queues.service';
import { StatusRelay } from '../../src/inbound/status-relay.service';
import { lucknowStreetlight } from '../support/fixtures';
import { lodgeDelivered, settled, waitForStatus } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

/** A stored status event is applied even when its job is lost, and applied only once. */
describe('status relay sweep', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());

  it('applies, once, a stored event whose job vanished before it ran', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const dispatch = await hub.prisma.dispatch.findFirstOrThrow({
      where: { externalRef: c.externalRef },
    });
    // Stored and queued ten minutes ago, then Redis lost the job: only PostgreSQL remembers it.
    await hub.prisma.$executeRaw`
      INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id,
        complaint_id, native_status, status, occurred_at, via, raw, correlation_id, queued_at)
      VALUES (gen_random_uuid(), 'UP-IGRS', 'lost-job-1', ${c.externalRef}, ${dispatch.id}::uuid,
        ${dispatch.complaintId}::uuid, 'Prakriyadheen', 'IN_PROGRESS', now(), 'push', '{}'::jsonb,
        'test-lost-job', now() - interval '10 minutes')`;

    const relay = hub.app.get(StatusRelay);
    expect(await relay.sweep()).toBe(1);
    const view = await waitForStatus(hub, c, 'IN_PROGRESS');
    await settled(hub);
    expect(view.timeline.filter((e) => e.status === 'IN_PROGRESS')).toHaveLength(1);
    // Settled now: a second sweep finds nothing to do.
    expect(await relay.sweep()).toBe(0);
  });

  it('leaves alone the rows of a batch job still waiting, not only its first', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const dispatch = await hub.prisma.dispatch.findFirstOrThrow({
      where: { externalRef: c.externalRef },
    });
    const queue = hub.app.get(StatusQueues).rows.inbound_events;
    // Hold the job in the queue: the sweep must see it waiting.
    await queue.queue.pause();
    try {
      const ids: { id: string }[] = await hub.prisma.$queryRaw`
        INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id,
          complaint_id, native_status, status, occurred_at, via, raw, correlation_id, queued_at)
        SELECT gen_random_uuid(), 'UP-IGRS', 'waiting-batch-' || n, ${c.externalRef},
          ${dispatch.id}::uuid, ${dispatch.complaintId}::uuid, 'Prakriyadheen', 'IN_PROGRESS',
          now() - (3 - n) * interval '1 minute', 'push', '{}'::jsonb, 'test-batch',
          now() - interval '10 minutes'
        FROM generate_series(1, 3) n
        RETURNING id::text`;
      await queue.add(ids.map(({ id }) => ({ id, correlationId: 'test-batch' })));

      expect(await hub.app.get(StatusRelay).sweep()).toBe(0);
    } finally {
      await queue.queue.resume();
    }
    await settled(hub);
    const view = await waitForStatus(hub, c, 'IN_PROGRESS');
    expect(view.timeline.filter((e) => e.status === 'IN_PROGRESS')).toHaveLength(3);
  });

  it('goes on past a page of rows whose jobs still wait, to a vanished job behind them', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const dispatch = await hub.prisma.dispatch.findFirstOrThrow({
      where: { externalRef: c.externalRef },
    });
    const queue = hub.app.get(StatusQueues).rows.inbound_events;
    // A relay of its own, so the hub's background sweep cannot move this one's cursor.
    const relay = new StatusRelay(
      hub.app.get(RelayRepository),
      hub.app.get(StatusQueues),
      hub.app.get(BackgroundHealth),
    );
    await queue.queue.pause();
    try {
      // Four stale events in received order; the three oldest have a job still waiting (a
      // backlog), the newest lost its job.
      const ids: { id: string }[] = await hub.prisma.$queryRaw`
        INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id,
          complaint_id, native_status, status, occurred_at, via, raw, correlation_id, queued_at,
          received_at)
        SELECT gen_random_uuid(), 'UP-IGRS', 'behind-page-' || n, ${c.externalRef},
          ${dispatch.id}::uuid, ${dispatch.complaintId}::uuid, 'Prakriyadheen', 'IN_PROGRESS',
          now() - (5 - n) * interval '1 minute', 'push', '{}'::jsonb, 'test-page',
          now() - interval '10 minutes', now() - (5 - n) * interval '1 minute'
        FROM generate_series(1, 4) n
        ORDER BY n
        RETURNING id::text`;
      const waiting = await hub.prisma.inboundEvent.findMany({
        where: { id: { in: ids.map((r) => r.id) } },
        orderBy: { receivedAt: 'asc' },
        take: 3,
      });
      // One job per event (its own batch), so that the newest is covered by none.
      for (const e of waiting) await queue.add([{ id: e.id, correlationId: 'test-page' }]);

      // One page of two per sweep: the first holds only waiting jobs; the next reaches the lost one.
      expect(await relay.sweep(60_000, 2, 1)).toBe(0);
      expect(await relay.sweep(60_000, 2, 1)).toBe(1);
      // Past the end, the cursor starts again from the oldest.
      expect(await relay.sweep(60_000, 2, 1)).toBe(0);

      // Lost again; a sweep of several pages reaches it in one pass.
      const newest = ids.find((r) => !waiting.some((w) => w.id === r.id))!;
      await queue.queue.remove(statusJobId.inbound(newest.id));
      const wider = new StatusRelay(
        hub.app.get(RelayRepository),
        hub.app.get(StatusQueues),
        hub.app.get(BackgroundHealth),
      );
      expect(await wider.sweep(60_000, 2, 2)).toBe(1);
    } finally {
      await queue.queue.resume();
    }
    await settled(hub);
    const view = await waitForStatus(hub, c, 'IN_PROGRESS');
    expect(view.timeline.filter((e) => e.status === 'IN_PROGRESS')).toHaveLength(4);
  });

  it('re-queues an event whose job finished without settling it, and the new job runs', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const dispatch = await hub.prisma.dispatch.findFirstOrThrow({
      where: { externalRef: c.externalRef },
    });
    const [{ id }]: { id: string }[] = await hub.prisma.$queryRaw`
      INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id,
        complaint_id, native_status, status, occurred_at, via, raw, correlation_id, queued_at)
      VALUES (gen_random_uuid(), 'UP-IGRS', 'finished-job-1', ${c.externalRef},
        ${dispatch.id}::uuid, ${dispatch.complaintId}::uuid, 'Prakriyadheen', 'IN_PROGRESS', now(),
        'push', '{}'::jsonb, 'test-finished-job', now() - interval '10 minutes')
      RETURNING id::text`;
    // A job under the row's id that ends without touching the row (it names another row): its
    // id is taken, so re-adding it is a no-op unless the sweep removes the finished job first.
    const queue = hub.app.get(StatusQueues).rows.inbound_events;
    const other = '00000000-0000-4000-8000-00000000f1ed';
    const job = await queue.queue.add(
      'apply-inbound-event',
      { id: other, ids: [other], correlationId: 'test-finished-job' },
      { jobId: statusJobId.inbound(id) },
    );
    await waitFor(async () => ['completed', 'failed'].includes(await job.getState()) || undefined, {
      what: 'the job that names another row to finish',
    });
    expect(await hub.prisma.inboundEvent.findFirstOrThrow({ where: { id } })).toMatchObject({
      processedAt: null,
    });

    const relay = new StatusRelay(
      hub.app.get(RelayRepository),
      hub.app.get(StatusQueues),
      hub.app.get(BackgroundHealth),
    );
    expect(await relay.sweep()).toBe(1);
    await waitFor(
      async () => (await hub.prisma.inboundEvent.findFirstOrThrow({ where: { id } })).processedAt,
      { what: 'the re-queued event to be applied' },
    );
    const view = await waitForStatus(hub, c, 'IN_PROGRESS');
    expect(view.timeline.filter((e) => e.status === 'IN_PROGRESS')).toHaveLength(1);
  });

  it('leaves alone a long-queued event that is already processed, though it has no job', async () => {
    await settled(hub);
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const dispatch = await hub.prisma.dispatch.findFirstOrThrow({
      where: { externalRef: c.externalRef },
    });
    // Queued long ago, processed, its job long removed: nothing for the sweep to do.
    await hub.prisma.$executeRaw`
      INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id,
        complaint_id, native_status, status, occurred_at, via, raw, correlation_id, queued_at,
        processed_at)
      VALUES (gen_random_uuid(), 'UP-IGRS', 'settled-no-job-1', ${c.externalRef},
        ${dispatch.id}::uuid, ${dispatch.complaintId}::uuid, 'Prakriyadheen', 'IN_PROGRESS', now(),
        'push', '{}'::jsonb, 'test-settled', now() - interval '10 minutes',
        now() - interval '9 minutes')`;
    const relay = new StatusRelay(
      hub.app.get(RelayRepository),
      hub.app.get(StatusQueues),
      hub.app.get(BackgroundHealth),
    );
    expect(await relay.sweep()).toBe(0);
  });
});
