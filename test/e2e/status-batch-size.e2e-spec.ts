import { lucknowStreetlight } from '../support/fixtures';
import { lodgeDelivered, settled, signedPush } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';

/** A portal may push 500 events at once: larger than the 64 KiB citizen limit, by design. */
describe('portal batch size', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());

  // A millisecond apart from now on: after the lodging, well within the hub's clock skew.
  const events = (
    externalRef: string,
    n: number,
    remarks = 'Site inspected by the junior engineer',
    base = Date.now(),
  ) =>
    Array.from({ length: n }, (_, i) => ({
      eventId: `size-${n}-${i}`,
      externalRef,
      status: 'Prakriyadheen',
      occurredAt: new Date(base + i).toISOString(),
      remarks,
    }));

  it('accepts a signed batch of 500 events over 64 KiB', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const batch = { events: events(c.externalRef, 500) };
    expect(JSON.stringify(batch).length).toBeGreaterThan(64 * 1024);
    const res = await signedPush(hub, 'UP-IGRS', batch).expect(202);
    expect(res.body).toMatchObject({ accepted: 500, rejected: 0 });
    await settled(hub);
    expect(await hub.prisma.inboundEvent.count({ where: { portalCode: 'UP-IGRS' } })).toBe(500);
  });

  it('refuses a body over 1 MiB with 413 problem+json, storing nothing', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const before = await hub.prisma.inboundEvent.count();
    const batch = { events: events(c.externalRef, 400, 'x'.repeat(3000)) };
    const res = await signedPush(hub, 'UP-IGRS', batch);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toContain('1mb');
    expect(await hub.prisma.inboundEvent.count()).toBe(before);
  });
});
