import request from 'supertest';
import { staffKey } from '../support/staff-fixtures';
import { lodgeAndSettle } from '../support/delivery';
import { startTestHub, type TestHub } from '../support/test-hub';

// UP-IGRS configured as a portal that cannot be asked for a grievance (`lookup: none`).
describe('delivery to a portal without lookup (lookup: none)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({
      portal: (p) =>
        p.code === 'UP-IGRS'
          ? { ...p, lookup: 'none', options: { ...p.options, lookupPath: null } }
          : p,
    });
  });
  afterAll(() => hub.close());
  afterEach(() => Object.values(hub.sandboxes).forEach((s) => s.reset()));

  const up = () => hub.sandboxes['UP-IGRS'];

  it('a timeout after the portal accepted → sent again (at-least-once) and flagged to staff', async () => {
    up().injectFaults({ next: ['timeout-after-accept'], hangMs: 3_000 });
    const { trackingId, dispatch } = await lodgeAndSettle(hub);
    expect(dispatch.status).toBe('DELIVERED');
    expect(up().countByClientRef(dispatch.id)).toBe(2);
    expect(dispatch.possibleDuplicate).toBe(true);
    const key = await staffKey(hub, 'staff');
    const view = await request(hub.url)
      .get(`/api/v1/staff/complaints/${trackingId}`)
      .set('Authorization', `Bearer ${key}`)
      .expect(200);
    expect(view.body.dispatches[0]).toMatchObject({ id: dispatch.id, possibleDuplicate: true });
  });

  it('a failure that never reached the portal → sent again, not flagged', async () => {
    up().injectFaults({ next: ['http-503'] });
    const { dispatch } = await lodgeAndSettle(hub);
    expect(dispatch.status).toBe('DELIVERED');
    expect(dispatch.attempts).toBe(2);
    expect(up().countByClientRef(dispatch.id)).toBe(1);
    expect(dispatch.possibleDuplicate).toBe(false);
  });
});
