import request from 'supertest';
import { lucknowStreetlight } from '../support/fixtures';
import { staffKey } from '../support/staff-fixtures';
import { lodgeDelivered, settled, track, type Lodged } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

describe('portal times are input, not truth', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());

  const up = () => hub.sandboxes['UP-IGRS'];
  const row = (c: Lodged) =>
    hub.prisma.complaint.findUniqueOrThrow({ where: { trackingId: c.trackingId } });

  it('a grievance resolved again after an appeal shows the later resolution', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const first = up().recordStatus(c.externalRef, 'Nistarit', { remarks: 'Lights repaired' });
    expect((await up().pushChanges(first)).status).toBe(202);
    await waitFor(async () => (await track(hub, c)).status === 'RESOLVED', { what: 'RESOLVED' });

    await request(hub.url)
      .post(`/api/v1/complaints/${c.trackingId}/appeal`)
      .set('X-Access-Token', c.accessToken)
      .send({ reason: 'Two of the lights went off again the next day.' })
      .expect(202);
    await waitFor(
      () =>
        up()
          .registrations()
          .find((r) => r.externalRef === c.externalRef)?.appeals.length === 1,
      { what: 'the appeal at UP IGRS' },
    );
    const reverted = up().recordStatus(c.externalRef, 'Reverted for Re-examination');
    expect((await up().pushChanges(reverted)).status).toBe(202);
    const again = up().recordStatus(c.externalRef, 'Nistarit', {
      remarks: 'Re-examined: poles rewired',
    });
    expect((await up().pushChanges(again)).status).toBe(202);
    await settled(hub);

    const view = await track(hub, c);
    expect(view.status).toBe('RESOLVED');
    expect(view.timeline.at(-1)).toMatchObject({
      status: 'RESOLVED',
      remarks: 'Nistarit: Re-examined: poles rewired',
      at: again.at,
    });
    // Staff see the outcome that stands; the redressal clock still ended at the first one.
    const staff = await request(hub.url)
      .get(`/api/v1/staff/complaints/${c.trackingId}`)
      .set('Authorization', `Bearer ${await staffKey(hub, 'staff')}`)
      .expect(200);
    expect(staff.body).toMatchObject({
      status: 'RESOLVED',
      statusAt: again.at,
      resolvedAt: first.at,
      resolvedByPortal: 'UP-IGRS',
      resolutionRemarks: 'Re-examined: poles rewired',
    });
  });
});
