import request from 'supertest';
import { lucknowStreetlight } from '../support/fixtures';
import { lodgeAndSettle } from '../support/delivery';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

describe('delivery when the portal misbehaves', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());
  afterEach(() => Object.values(hub.sandboxes).forEach((s) => s.reset()));

  const up = () => hub.sandboxes['UP-IGRS'];

  it('503 twice → delivered on the third try, registered exactly once', async () => {
    up().injectFaults({ next: ['http-503', 'http-503'] });
    const { dispatch } = await lodgeAndSettle(hub);
    expect(dispatch.status).toBe('DELIVERED');
    expect(dispatch.attempts).toBe(3);
    expect(up().countByClientRef(dispatch.id)).toBe(1);
    expect(up().registrations()[0].externalRef).toBe(dispatch.externalRef);
  });

  it('a timeout after the portal accepted → looked up, not registered twice', async () => {
    up().injectFaults({ next: ['timeout-after-accept'], hangMs: 3_000 });
    const { dispatch } = await lodgeAndSettle(hub);
    expect(dispatch.status).toBe('DELIVERED');
    expect(up().countByClientRef(dispatch.id)).toBe(1);
    expect(dispatch.externalRef).toBe(up().registrations()[0].externalRef);
    // One submit that timed out; the second attempt found it by lookup without submitting.
    expect(dispatch.attempts).toBe(1);
  });

  it('a timeout before the portal accepted → submitted again and registered once', async () => {
    up().injectFaults({ next: ['timeout-before-accept'], hangMs: 3_000 });
    const { dispatch } = await lodgeAndSettle(hub);
    expect(dispatch.status).toBe('DELIVERED');
    expect(up().countByClientRef(dispatch.id)).toBe(1);
    expect(dispatch.attempts).toBe(2);
  });

  it('400 from the portal → DISPATCH_FAILED at once, with the portal reason, visible to the citizen', async () => {
    up().injectFaults({ next: ['http-400'] });
    const { dispatch, trackingId, accessToken } = await lodgeAndSettle(hub);
    expect(dispatch.status).toBe('DISPATCH_FAILED');
    expect(dispatch.attempts).toBe(1);
    expect(dispatch.lastError).toMatch(/UP-IGRS refused the grievance: .+/);
    expect(up().registrations()).toHaveLength(0);
    const view = await request(hub.url)
      .get(`/api/v1/complaints/${trackingId}`)
      .set('X-Access-Token', accessToken)
      .expect(200);
    expect(view.body.status).toBe('DISPATCH_FAILED');
    expect(view.body.timeline.at(-1)).toMatchObject({
      status: 'DISPATCH_FAILED',
      remarks: expect.stringContaining('UP-IGRS'),
    });
  });

  it('a reference number another grievance already holds → DISPATCH_FAILED at once, naming it', async () => {
    const pune = {
      location: {
        stateCode: '27',
        districtCode: '490',
        pincode: '411001',
        address: 'Shivajinagar, Pune',
      },
    };
    const mh = () => hub.sandboxes['MH-AAPLESARKAR'];
    const lodged = async () => {
      const res = await request(hub.url)
        .post('/api/v1/complaints')
        .send(lucknowStreetlight(pune))
        .expect(201);
      const c = await hub.prisma.complaint.findUniqueOrThrow({
        where: { trackingId: res.body.trackingId },
        include: { dispatches: true },
      });
      return waitFor(
        async () => {
          const d = await hub.prisma.dispatch.findUniqueOrThrow({
            where: { id: c.dispatches[0].id },
          });
          return d.status !== 'PENDING' ? d : undefined;
        },
        { what: 'the dispatch to settle' },
      );
    };
    const first = await lodged();
    expect(first.status).toBe('DELIVERED');
    // The hub already holds the number the portal will hand out next (its numbering was reset).
    const next = first.externalRef!.replace(/\d{6}$/, (n) =>
      String(Number(n) + 1).padStart(6, '0'),
    );
    await hub.prisma.dispatch.update({ where: { id: first.id }, data: { externalRef: next } });

    const second = await lodged();
    expect(second.status).toBe('DISPATCH_FAILED');
    expect(second.attempts).toBe(1);
    expect(second.lastError).toContain(`MH-AAPLESARKAR registered the grievance as ${next}`);
    expect(mh().countByClientRef(second.id)).toBe(1);
  });

  it('a portal that keeps failing → DISPATCH_FAILED after the configured attempts, with the last error', async () => {
    up().injectFaults({ down: true });
    const { dispatch } = await lodgeAndSettle(hub);
    const attempts = hub.config.portals.find((p) => p.code === 'UP-IGRS')!.delivery.attempts;
    expect(dispatch.status).toBe('DISPATCH_FAILED');
    expect(dispatch.lastError).toMatch(new RegExp(`gave up after ${attempts} attempts`));
    expect(up().registrations()).toHaveLength(0);
  });
});
