import request from 'supertest';
import { OutboxRelay } from '../../src/dispatch/outbox-relay.service';
import { DispatchQueues } from '../../src/dispatch/dispatch-queues.service';
import { lucknowStreetlight } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

/** PostgreSQL is the truth: a dispatch no job will deliver is queued again by the relay's sweep. */
describe('outbox sweep', () => {
  let hub: TestHub;
  beforeAll(async () => {
    // Slow retries, so a dispatch to a down portal stays PENDING while the test works on it.
    hub = await startTestHub({
      portal: (p) => ({ ...p, delivery: { ...p.delivery, attempts: 50, backoffMs: 300 } }),
    });
  });
  afterAll(() => hub.close());
  afterEach(() => Object.values(hub.sandboxes).forEach((s) => s.reset()));

  const up = () => hub.sandboxes['UP-IGRS'];

  async function lodge(): Promise<string> {
    const res = await request(hub.url)
      .post('/api/v1/complaints')
      .send(lucknowStreetlight())
      .expect(201);
    const complaint = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: res.body.trackingId },
      include: { dispatches: true },
    });
    return complaint.dispatches[0].id;
  }

  /** The sweep only looks at dispatches queued a while ago. */
  const age = (dispatchId: string) =>
    hub.prisma
      .$executeRaw`UPDATE dispatches SET queued_at = now() - interval '10 minutes' WHERE id = ${dispatchId}::uuid`;

  const settled = (dispatchId: string) =>
    waitFor(
      async () => {
        const d = await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } });
        return d.status !== 'PENDING' ? d : undefined;
      },
      { what: 'the dispatch to settle' },
    );

  it('re-queues a pending dispatch whose job vanished from Redis, and it is delivered once', async () => {
    up().injectFaults({ down: true });
    const dispatchId = await lodge();
    await waitFor(
      async () =>
        (await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } })).attempts > 0,
      {
        what: 'a first failed attempt',
      },
    );
    // Redis wiped, once no attempt is running (a running one would still touch the row).
    const queue = hub.app.get(DispatchQueues).queue('UP-IGRS');
    await queue.pause();
    await waitFor(async () => (await queue.getActiveCount()) === 0, { what: 'no running attempt' });
    await queue.obliterate({ force: true });
    await queue.resume();
    await age(dispatchId);
    up().reset();

    expect(await hub.app.get(OutboxRelay).sweep()).toBe(1);
    const dispatch = await settled(dispatchId);
    expect(dispatch.status).toBe('DELIVERED');
    expect(up().countByClientRef(dispatchId)).toBe(1);
  });

  it('re-queues a pending dispatch whose job ended without settling it', async () => {
    up().injectFaults({ next: ['http-400'] });
    const dispatchId = await lodge();
    expect((await settled(dispatchId)).status).toBe('DISPATCH_FAILED');
    // As if the database had been away when the job tried to record its outcome.
    await hub.prisma
      .$executeRaw`UPDATE dispatches SET status = 'PENDING', failed_at = NULL WHERE id = ${dispatchId}::uuid`;
    await age(dispatchId);

    expect(await hub.app.get(OutboxRelay).sweep()).toBe(1);
    const dispatch = await settled(dispatchId);
    expect(dispatch.status).toBe('DELIVERED');
    expect(up().countByClientRef(dispatchId)).toBe(1);
  });

  it('leaves alone a pending dispatch whose job is still waiting to retry', async () => {
    up().injectFaults({ down: true });
    const dispatchId = await lodge();
    await waitFor(
      async () =>
        (await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } })).attempts > 0,
      {
        what: 'a first failed attempt',
      },
    );
    await age(dispatchId);
    expect(await hub.app.get(OutboxRelay).sweep()).toBe(0);
  });
});
