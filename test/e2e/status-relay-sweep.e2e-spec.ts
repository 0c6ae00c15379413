import { StatusRelay } from '../../src/status-sync/status-relay.service';
import { lucknowStreetlight } from '../support/fixtures';
import { lodgeDelivered, settled, waitForStatus } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';

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

  it('leaves alone events whose job is settled', async () => {
    await settled(hub);
    expect(await hub.app.get(StatusRelay).sweep()).toBe(0);
  });
});
