import { DelayedError, type Worker } from 'bullmq';
import { Client } from 'pg';
import { ClaimLeaseHeldError, DispatchProcessor } from '../../src/dispatch/dispatch.processor';
import { DispatchQueues } from '../../src/dispatch/dispatch-queues.service';
import { DispatchRepository } from '../../src/dispatch/dispatch.repository';
import { JOBS, dispatchJobId } from '../../src/platform/queue/queue-names';
import { PortalRegistry } from '../../src/portals/portal-registry.service';
import { StatusPoller } from '../../src/inbound/status-poller.service';
import { StatusProcessor } from '../../src/inbound/status.processor';
import {
  WAITING_EXPIRES_AFTER_MS,
  WaitingEventsSweep,
} from '../../src/inbound/waiting-events.service';
import { HubMetrics } from '../../src/platform/metrics/metrics.service';
import { lucknowStreetlight, railwayRefund } from '../support/fixtures';
import { lodgeDelivered, waitForStatus } from '../support/status-sync';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';
import { holdFirstCall } from '../support/hold-call';
import { lodgeDispatch } from '../support/delivery';
import { dispatchJob, leaseRunOut, nextProcessCall } from '../support/dispatch-attempt';

describe('exactly once under the worst timing', () => {
  let hub: TestHub;
  let proxy: TcpProxy;
  let directUrl: string;

  beforeAll(async () => {
    proxy = await startTcpProxy(5432);
    hub = await startTestHub({
      databaseUrl: (url) => {
        directUrl = url;
        const viaProxy = new URL(url);
        viaProxy.port = String(proxy.port);
        return viaProxy.toString();
      },
    });
  });
  afterAll(async () => {
    await proxy.restore();
    await hub.close();
    await proxy.close();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    Object.values(hub.sandboxes).forEach((s) => s.reset());
  });

  const up = () => hub.sandboxes['UP-IGRS'];
  const processor = () => hub.app.get(DispatchProcessor);

  /** Lodges a grievance; the worker's attempt at it is the first call `processor.process` sees. */
  async function lodge(body: object = lucknowStreetlight()) {
    const firstAttempt = nextProcessCall(processor());
    return { ...(await lodgeDispatch(hub, body)), firstAttempt };
  }

  async function deliverAsOtherWorker(dispatchId: string) {
    const outcome = await processor().process(
      dispatchJob(dispatchId, 0, 'other-worker'),
      undefined as unknown as Worker,
    );
    expect(outcome).toBe('delivered');
  }

  it('a worker paused before marking in flight does not submit after another worker delivered', async () => {
    const held = holdFirstCall(hub.app.get(DispatchRepository), 'markInFlight', 'before');
    const { dispatchId, firstAttempt } = await lodge();
    await held.reached;
    await deliverAsOtherWorker(dispatchId);
    held.release();
    await await firstAttempt;

    expect(up().countByClientRef(dispatchId)).toBe(1);
    const d = await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } });
    expect(d).toMatchObject({ status: 'DELIVERED', lastError: null });
    expect(d.externalRef).toBe(
      up()
        .registrations()
        .find((r) => r.clientRef === dispatchId)!.externalRef,
    );
  });

  it('a worker paused past its lease as it marks in flight does not submit after another worker delivered', async () => {
    const held = holdFirstCall(hub.app.get(DispatchRepository), 'markInFlight', 'after');
    const { dispatchId, firstAttempt } = await lodge();
    await held.reached;
    // The job passes to another worker once the paused one's lease has run out: it sees the
    // in-flight mark, asks the portal (nothing there) and submits.
    await leaseRunOut(hub.prisma, dispatchId);
    await deliverAsOtherWorker(dispatchId);
    held.release();
    await await firstAttempt;

    expect(up().countByClientRef(dispatchId)).toBe(1);
    const d = await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } });
    expect(d).toMatchObject({ status: 'DELIVERED', lastError: null });
  });

  it('a worker whose claim lease is still running keeps every other attempt off the dispatch', async () => {
    const adapter = hub.app.get(PortalRegistry).get('UP-IGRS').adapter;
    const lookup = jest.spyOn(adapter, 'lookup' as never);
    const held = holdFirstCall(hub.app.get(DispatchRepository), 'markInFlight', 'after');
    const { dispatchId, firstAttempt } = await lodge();
    await held.reached; // claimed: its submit may be on the way
    // Another worker gets the job now (a lock lost to a Redis failover): it must not take over.
    const other = processor()
      .process(dispatchJob(dispatchId, 0, 'other-worker'), undefined as unknown as Worker)
      .then(
        (outcome) => ({ outcome }),
        (error: Error) => ({ error }),
      );
    expect(await other).toEqual({ error: expect.any(ClaimLeaseHeldError) });
    expect(lookup).not.toHaveBeenCalled();
    held.release();
    expect(await await firstAttempt).toBe('delivered');

    expect(up().countByClientRef(dispatchId)).toBe(1);
    const d = await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } });
    expect(d).toMatchObject({ status: 'DELIVERED', lastError: null });
  });

  it("a deferred attempt moves its job to delayed until the lease runs out, spending none of the job's attempts", async () => {
    const held = holdFirstCall(hub.app.get(DispatchRepository), 'markInFlight', 'after');
    const { dispatchId, firstAttempt } = await lodge();
    await held.reached; // claimed: its submit may be on the way
    // A second job for the dispatch (as the relay's sweep queues one), run by the real worker.
    const queue = hub.app.get(DispatchQueues).queue('UP-IGRS');
    const jobId = `${dispatchJobId(dispatchId)}-again`;
    const deferred = nextProcessCall(processor());
    await queue.add(JOBS.submitDispatch, { dispatchId, correlationId: 'again' }, { jobId });
    expect(await await deferred).toBeInstanceOf(DelayedError);
    const job = (await queue.getJob(jobId))!;
    expect(await job.getState()).toBe('delayed');
    expect(job.attemptsMade).toBe(0);
    held.release();
    expect(await await firstAttempt).toBe('delivered');

    // Once the lease has run out the job runs again and finds the dispatch settled.
    await waitFor(async () => (await queue.getJobState(jobId)) === 'completed', {
      what: 'the delayed job to run after the lease',
      timeoutMs: 40_000,
    });
    expect((await queue.getJob(jobId))?.returnvalue).toBe('already-settled');
    expect(up().countByClientRef(dispatchId)).toBe(1);
  }, 60_000);

  it('a worker frozen past its whole lease as it claims, resuming while another worker asks the portal, submits only once between them', async () => {
    const repository = hub.app.get(DispatchRepository);
    const adapter = hub.app.get(PortalRegistry).get('UP-IGRS').adapter;
    const claimHeld = holdFirstCall(repository, 'markInFlight', 'after');
    const { dispatchId, firstAttempt } = await lodge();
    await claimHeld.reached;
    await leaseRunOut(hub.prisma, dispatchId);
    // The other worker finds the claim lapsed and asks the portal: nothing there yet.
    const lookupHeld = holdFirstCall(adapter, 'lookup' as never, 'after');
    const other = processor()
      .process(dispatchJob(dispatchId, 0, 'other-worker'), undefined as unknown as Worker)
      .then(
        (outcome) => ({ outcome }),
        (error: Error) => ({ error }),
      );
    await lookupHeld.reached;
    // The frozen worker resumes: its claim is still the latest, so it goes on to submit.
    const submitHeld = holdFirstCall(adapter, 'submit', 'before');
    claimHeld.release();
    await submitHeld.reached;
    // The other worker's answer arrives: it must not claim and submit a second time, nor write
    // anything under the claim the resumed worker holds while it submits.
    lookupHeld.release();
    // (The resumed worker renewed its claim under a new number: the other one's is stale.)
    expect(await other).toEqual({ outcome: 'superseded' });
    expect(
      await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } }),
    ).toMatchObject({ status: 'PENDING', lastError: null, inFlightSince: expect.any(Date) });
    submitHeld.release();
    await await firstAttempt;

    expect(up().countByClientRef(dispatchId)).toBe(1);
    const d = await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } });
    expect(d).toMatchObject({ status: 'DELIVERED', lastError: null });
  }, 30_000);

  it('a stale attempt that fails never writes its error onto a delivered dispatch', async () => {
    const adapter = hub.app.get(PortalRegistry).get('UP-IGRS').adapter;
    up().injectFaults({ next: ['http-503'] });
    const held = holdFirstCall(adapter, 'submit', 'after');
    const { dispatchId, firstAttempt } = await lodge();
    await held.reached; // its submit got a 503; the answer is held while another worker delivers
    await leaseRunOut(hub.prisma, dispatchId);
    await deliverAsOtherWorker(dispatchId);
    held.release();
    await await firstAttempt;

    const d = await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } });
    expect(d).toMatchObject({ status: 'DELIVERED', lastError: null, inFlightSince: null });
    expect(up().countByClientRef(dispatchId)).toBe(1);
  });

  it('keeps polled statuses of a grievance whose reference is recorded late, and applies them', async () => {
    const cpgrams = hub.sandboxes.CPGRAMS;
    const held = holdFirstCall(hub.app.get(DispatchRepository), 'markDelivered', 'before');
    const c = await lodge(railwayRefund());
    await held.reached; // CPGRAMS registered it; the hub has not stored the reference yet
    const ref = cpgrams.registrations().find((r) => r.clientRef === c.dispatchId)!.externalRef;
    cpgrams.recordStatus(ref, 'Under Examination');
    cpgrams.recordStatus(ref, 'Case Disposed', { remarks: 'Refund credited' });
    await hub.app.get(StatusPoller).pollOnce('CPGRAMS', 'test-poll-early');
    held.release();

    const view = await waitForStatus(hub, c, 'RESOLVED');
    expect(view.timeline.filter((t) => t.source === 'portal:CPGRAMS').map((t) => t.status)).toEqual(
      expect.arrayContaining(['IN_PROGRESS', 'RESOLVED']),
    );
    // Polling again changes nothing: each event applied once.
    await hub.app.get(StatusPoller).pollOnce('CPGRAMS', 'test-poll-again');
    const events = await hub.prisma.inboundEvent.findMany({ where: { externalRef: ref } });
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.processedAt !== null)).toBe(true);
  });

  it('applies a waiting event whose reference was recorded before it was stored, and expires one whose reference never comes', async () => {
    const c = await lodgeDelivered(hub, railwayRefund());
    const occurredAt = new Date();
    const waiting = (eventId: string, externalRef: string, at = occurredAt) => ({
      portalCode: 'CPGRAMS',
      eventId,
      externalRef,
      nativeStatus: 'Under Examination',
      status: 'IN_PROGRESS' as const,
      occurredAt: at,
      via: 'poll',
      raw: {},
      correlationId: 'waiting-test',
    });
    // Stored as waiting just after the delivery recorded the reference (the poll's lookup raced it).
    await hub.prisma.waitingStatusEvent.create({ data: waiting('w-raced', c.externalRef) });
    // Dated before the grievance was lodged: the bound the poll could not check is checked here.
    const beforeLodging = new Date(Date.now() - 2 * 86_400_000);
    await hub.prisma.waitingStatusEvent.create({
      data: waiting('w-early', c.externalRef, beforeLodging),
    });
    // A grievance lodged at CPGRAMS directly: its reference never arrives.
    await hub.prisma.waitingStatusEvent.create({
      data: waiting('w-foreign', 'DARPG/E/2026/9999999'),
    });
    const sweep = hub.app.get(WaitingEventsSweep);

    expect(await sweep.sweep()).toEqual({ released: 1, expired: 0 });
    await waitForStatus(hub, c, 'IN_PROGRESS');
    const later = new Date(Date.now() + WAITING_EXPIRES_AFTER_MS + 60_000);
    expect(await hub.prisma.inboundEvent.count({ where: { eventId: 'w-early' } })).toBe(0);
    expect(await sweep.sweep(later)).toEqual({ released: 0, expired: 2 });
    expect(await sweep.sweep(later)).toEqual({ released: 0, expired: 0 });
    const foreign = await hub.prisma.waitingStatusEvent.findFirstOrThrow({
      where: { eventId: 'w-foreign' },
    });
    expect(foreign.expiredAt).not.toBeNull();
    const metrics = await hub.app.get(HubMetrics).registry.metrics();
    expect(metrics).toMatch(
      /hub_status_events_waiting_total\{portal="CPGRAMS",outcome="expired"\} 2/,
    );
    expect(hub.logs.some((l) => l.includes('w-foreign') && l.includes('expired'))).toBe(true);
  });

  it('survives a connection reset while a status batch holds a connection, and applies it later', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const complaint = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: c.trackingId },
      include: { dispatches: true },
    });
    // An event stored as the relay would (queued), so only this test's call applies it.
    const event = await hub.prisma.inboundEvent.create({
      data: {
        portalCode: 'UP-IGRS',
        eventId: 'reset-1',
        externalRef: c.externalRef,
        dispatchId: complaint.dispatches[0].id,
        complaintId: complaint.id,
        nativeStatus: 'Prakriyadheen',
        status: 'IN_PROGRESS',
        occurredAt: new Date(),
        via: 'push',
        raw: {},
        correlationId: 'reset-test',
        queuedAt: new Date(),
      },
    });
    // Another session holds the grievance's row, so the batch waits on its lock mid-transaction.
    const blocker = new Client({ connectionString: directUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM complaints WHERE id = $1 FOR UPDATE', [complaint.id]);
    const processor = hub.app.get(StatusProcessor);
    let settled: string | null = null;
    const waiting = processor.apply([event.id]).then(
      () => (settled = 'applied'),
      (e: Error) => (settled = e.message),
    );
    await waitFor(
      async () => {
        // A batch that settles without waiting says why in the timeout's message.
        if (settled !== null) throw new Error(`the batch settled without waiting: ${settled}`);
        const { rows } = await blocker.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return rows[0].n > 0;
      },
      { what: 'the status batch to wait on the row lock' },
    );
    await proxy.cut(); // every connection of the hub is reset mid-transaction
    expect(await waiting).not.toBe('applied');
    await blocker.query('ROLLBACK');
    await blocker.end();
    await proxy.restore();

    await waitFor(
      async () => (await processor.apply([event.id])) !== 'already-processed' || undefined,
      {
        what: 'the batch to apply once the database is reachable',
      },
    );
    const stored = await hub.prisma.inboundEvent.findFirstOrThrow({ where: { id: event.id } });
    expect(stored.processedAt).not.toBeNull();
  });
});
