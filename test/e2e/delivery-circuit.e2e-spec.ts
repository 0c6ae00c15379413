import { CircuitBreakers } from '../../src/dispatch/circuit-breakers';
import { DispatchQueues } from '../../src/dispatch/dispatch-queues.service';
import { lodgeDispatch } from '../support/delivery';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

/**
 * The open-circuit branch of the dispatch processor: once a portal has failed often enough,
 * its breaker opens and a delivery that meets it parks the whole portal queue for the open
 * period (a BullMQ rate limit) without using one of its attempts or calling the portal. When the
 * breaker lets a trial through, deliveries resume.
 *
 * UP-IGRS here: 3 attempts, breaker open after 2 consecutive failures, for 3 s. Its sandbox
 * answers 503 to the first two submits, then normally. The grievance's third attempt comes 20 ms
 * after the second, while the breaker is open: were that attempt used (the queue not parked),
 * it would be its last and the dispatch would fail for good.
 */
describe('delivery through an open circuit breaker', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({
      portal: (p) =>
        p.code === 'UP-IGRS'
          ? {
              ...p,
              delivery: {
                ...p.delivery,
                attempts: 3,
                circuit: { failureThreshold: 2, openMs: 3_000 },
              },
            }
          : p,
    });
  });
  afterAll(() => hub.close());

  const lodge = async () => (await lodgeDispatch(hub)).dispatchId;

  const settledDispatch = (id: string) =>
    waitFor(
      async () => {
        const d = await hub.prisma.dispatch.findUniqueOrThrow({ where: { id } });
        return d.status !== 'PENDING' ? d : undefined;
      },
      { what: 'the dispatch to settle' },
    );

  it('parks the portal queue while the breaker is open, keeps the attempt, and resumes after', async () => {
    const up = hub.sandboxes['UP-IGRS'];
    up.injectFaults({ next: ['http-503', 'http-503'] });
    const breakers = hub.app.get(CircuitBreakers);
    const queue = hub.app.get(DispatchQueues).queue('UP-IGRS');

    const first = await lodge();
    await waitFor(() => breakers.state('UP-IGRS') === 'open', { what: 'the breaker to open' });
    // The next attempt met the open breaker and parked the whole UP-IGRS queue for the open
    // period: a rate limit longer than the one-second window of the per-second delivery limiter.
    await waitFor(async () => (await queue.getRateLimitTtl()) > 1_000, {
      what: 'the UP-IGRS queue to be parked for the open period',
    });
    // Lodged while the queue is parked: it waits with the other, and needs one attempt only.
    const second = await lodge();

    const [a, b] = [await settledDispatch(first), await settledDispatch(second)];
    expect(breakers.state('UP-IGRS')).toBe('closed');
    // Two 503s and the delivery: the pass through the open breaker called nothing and used no
    // attempt (markInFlight counts calls to the portal).
    expect(a).toMatchObject({ status: 'DELIVERED', attempts: 3 });
    expect(b).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    expect(up.countByClientRef(first)).toBe(1);
    expect(up.countByClientRef(second)).toBe(1);
  });
});
