import { lucknowStreetlight } from '../support/fixtures';
import { lodgeDelivered, settled, signedPush, track, waitForStatus } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

describe('status comes back: signed pushes from a state portal', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());

  const up = () => hub.sandboxes['UP-IGRS'];

  it('takes a grievance RECEIVED → DELIVERED → IN_PROGRESS → RESOLVED through pushes, with a timeline', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const working = up().recordStatus(c.externalRef, 'Prakriyadheen');
    const first = await up().pushChanges(working);
    expect(first).toEqual({
      status: 202,
      body: { eventId: up().eventId(working), result: 'accepted' },
    });
    await waitForStatus(hub, c, 'IN_PROGRESS');

    const done = up().recordStatus(c.externalRef, 'Nistarit', { remarks: 'Lights repaired' });
    expect((await up().pushChanges(done)).status).toBe(202);
    const view = await waitForStatus(hub, c, 'RESOLVED');
    expect(view.timeline.map((e) => e.status)).toEqual([
      'RECEIVED',
      'ROUTED',
      'DELIVERED',
      'IN_PROGRESS',
      'RESOLVED',
    ]);
    expect(view.timeline[4]).toMatchObject({
      source: 'portal:UP-IGRS',
      remarks: 'Nistarit: Lights repaired',
    });
    expect(view.dispatches[0].lastSyncedAt).not.toBeNull();
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: c.trackingId },
    });
    expect(row).toMatchObject({
      resolvedByPortal: 'UP-IGRS',
      resolutionRemarks: 'Lights repaired',
      resolvedAt: new Date(done.at),
      slaDueAt: new Date(c.view.slaDueAt),
    });
    const kinds = await waitFor(
      async () => {
        const n = await hub.prisma.notification.findMany({
          where: { complaintId: row.id, state: 'SENT' },
        });
        return n.length === 2 ? n.map((x) => x.kind).sort() : undefined;
      },
      { what: 'two notifications sent' },
    );
    expect(kinds).toEqual(['registered', 'resolved']);
  });
});
