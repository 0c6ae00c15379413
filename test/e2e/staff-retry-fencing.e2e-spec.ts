import type { Worker } from 'bullmq';
import { CLAIM_LEASE_MS, DispatchProcessor } from '../../src/dispatch/dispatch.processor';
import { DispatchRepository } from '../../src/dispatch/dispatch.repository';
import { PortalRegistry } from '../../src/portals/portal-registry.service';
import { startTestHub, type TestHub } from '../support/test-hub';
import { holdFirstCall } from '../support/hold-call';
import { lodgeDispatch } from '../support/delivery';
import { dispatchJob, leaseRunOut, nextProcessCall } from '../support/dispatch-attempt';

describe('staff retry after a failed dispatch (fencing)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub.close();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    Object.values(hub.sandboxes).forEach((s) => s.reset());
  });

  const up = () => hub.sandboxes['UP-IGRS'];
  const processor = () => hub.app.get(DispatchProcessor);
  const run = (dispatchId: string, attemptsMade: number, cid: string) =>
    processor()
      .process(dispatchJob(dispatchId, attemptsMade, cid), undefined as unknown as Worker)
      .catch((e: Error) => e);

  /** Lodges a grievance; the worker's attempt at it is the first call `processor.process` sees. */
  async function lodge() {
    const firstAttempt = nextProcessCall(processor());
    const { dispatchId } = await lodgeDispatch(hub);
    return { dispatchId, firstAttempt };
  }

  it('a stale attempt whose claim a staff retry revived does not submit beside the retry', async () => {
    // A claims the dispatch and freezes past its lease before it checks its claim.
    const heldClaim = holdFirstCall(hub.app.get(DispatchRepository), 'markInFlight', 'after');
    const { dispatchId, firstAttempt } = await lodge();
    await heldClaim.reached;
    // The job came back to another worker once A's lease ran out; its last attempt cannot even
    // ask the portal: failed.
    await leaseRunOut(hub.prisma, dispatchId);
    up().injectFaults({ down: true });
    expect(await run(dispatchId, 3, 'last-attempt')).toBeInstanceOf(Error);
    expect(
      (await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } })).status,
    ).toBe('DISPATCH_FAILED');
    up().injectFaults({});
    // Staff retry it.
    expect(await hub.app.get(DispatchRepository).rearmFailed(dispatchId, 'tester')).not.toBeNull();
    // A resumes: if its claim still holds it goes on to the portal (held there while the retry runs).
    const adapter = hub.app.get(PortalRegistry).get('UP-IGRS').adapter;
    const heldSubmit = holdFirstCall(adapter, 'submit', 'before');
    heldClaim.release();
    // (firstAttempt settles when A's attempt does: it resolves to that attempt's promise.)
    const reachedSubmit = await Promise.race([
      heldSubmit.reached.then(() => true),
      firstAttempt.then(() => false),
    ]);
    if (!reachedSubmit) heldSubmit.release(); // A stood down: hold nobody else's submit
    // The staff retry's job.
    expect(await run(dispatchId, 0, 'staff-retry')).toBe('delivered');
    heldSubmit.release();
    await firstAttempt;

    expect(up().countByClientRef(dispatchId)).toBe(1);
    expect(reachedSubmit).toBe(false);
  });

  it('a staff retry after attempts ran out on an ambiguous timeout asks the portal before submitting again', async () => {
    // Keep the worker's own attempt out of the way until the end.
    const heldFirst = holdFirstCall(hub.app.get(DispatchRepository), 'markInFlight', 'before');
    const { dispatchId, firstAttempt } = await lodge();
    await heldFirst.reached;
    // The last attempt's submit reaches the portal, the answer never comes back (timeout).
    up().injectFaults({ next: ['timeout-after-accept'] });
    expect(await run(dispatchId, 3, 'last-attempt')).toBeInstanceOf(Error);
    expect(up().countByClientRef(dispatchId)).toBe(1);
    expect(
      (await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } })).status,
    ).toBe('DISPATCH_FAILED');
    up().injectFaults({});
    // Staff retry it: the retry's job must look the grievance up (it is registered) first.
    expect(await hub.app.get(DispatchRepository).rearmFailed(dispatchId, 'tester')).not.toBeNull();
    expect(await run(dispatchId, 0, 'staff-retry')).toBe('delivered');
    heldFirst.release();
    await await firstAttempt;

    expect(up().countByClientRef(dispatchId)).toBe(1);
  });

  it('an attempt whose lookup fails keeps the question open: the next one asks again instead of submitting', async () => {
    const heldFirst = holdFirstCall(hub.app.get(DispatchRepository), 'markInFlight', 'before');
    const { dispatchId, firstAttempt } = await lodge();
    await heldFirst.reached;
    // Attempt 1: the portal registers it, the answer never comes back.
    up().injectFaults({ next: ['timeout-after-accept'] });
    expect(await run(dispatchId, 0, 'attempt-1')).toBeInstanceOf(Error);
    expect(up().countByClientRef(dispatchId)).toBe(1);
    // Attempt 2: the lookup before resubmitting gets a 503; nothing was learnt.
    up().injectFaults({ down: true });
    expect(await run(dispatchId, 1, 'attempt-2')).toBeInstanceOf(Error);
    // Attempt 3: the portal is back.
    up().injectFaults({});
    expect(await run(dispatchId, 2, 'attempt-3')).toBe('delivered');
    heldFirst.release();
    await firstAttempt;

    expect(up().countByClientRef(dispatchId)).toBe(1);
  });

  it('a last attempt whose claim checks answer too late is given up under its own claim, not left PENDING', async () => {
    const heldFirst = holdFirstCall(hub.app.get(DispatchRepository), 'markInFlight', 'before');
    const { dispatchId, firstAttempt } = await lodge();
    await heldFirst.reached;
    // Every claim check of this attempt answers later than the lease (a database under strain).
    let clock = performance.now();
    const now = jest
      .spyOn(performance, 'now')
      .mockImplementation(() => (clock += CLAIM_LEASE_MS + 1));
    const outcome = await run(dispatchId, 3, 'slow-last-attempt');
    now.mockRestore();
    expect(outcome).toBeInstanceOf(Error);
    const d = await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } });
    // PENDING with a failed job would wait for the sweep, which re-queues it with a fresh budget.
    expect(d.status).toBe('DISPATCH_FAILED');
    expect(d.inFlightSince).not.toBeNull(); // ambiguous: a staff retry asks the portal first
    expect(up().countByClientRef(dispatchId)).toBe(0);
    heldFirst.release();
    await firstAttempt;
  });
});
