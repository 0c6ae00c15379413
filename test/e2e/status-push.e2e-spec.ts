import request from 'supertest';
import { lucknowStreetlight } from '../support/fixtures';
import {
  lodgeDelivered,
  settled,
  signedPush,
  track,
  waitForStatus,
  type Lodged,
} from '../support/status-sync';
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

  async function statusEvents(trackingId: string) {
    const c = await hub.prisma.complaint.findUniqueOrThrow({ where: { trackingId } });
    return hub.prisma.statusEvent.findMany({
      where: { complaintId: c.id },
      orderBy: { occurredAt: 'asc' },
    });
  }

  it('applies an event pushed twice once: 202 then 200, one timeline entry, one notification', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const change = up().recordStatus(c.externalRef, 'Nistarit', { remarks: 'Repaired' });
    expect((await up().pushChanges(change)).status).toBe(202);
    await waitForStatus(hub, c, 'RESOLVED');
    expect(await up().pushChanges(change)).toEqual({
      status: 200,
      body: { eventId: up().eventId(change), result: 'duplicate' },
    });
    await settled(hub);
    expect((await statusEvents(c.trackingId)).filter((e) => e.status === 'RESOLVED')).toHaveLength(
      1,
    );
    const complaint = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: c.trackingId },
    });
    expect(
      await hub.prisma.notification.count({
        where: { complaintId: complaint.id, kind: 'resolved' },
      }),
    ).toBe(1);
  });

  describe('refuses what a portal did not sign, and stores nothing', () => {
    let externalRef: string;
    beforeAll(async () => {
      externalRef = (await lodgeDelivered(hub, lucknowStreetlight())).externalRef;
    });
    const event = () => ({
      eventId: `forged-${Math.random()}`,
      externalRef,
      status: 'Nistarit',
      occurredAt: new Date().toISOString(),
      remarks: 'Closed',
    });

    it.each([
      ['a forged signature', { secret: 'guessed-secret' }],
      // Well past the 300 s window: whole-second timestamps against a clock in ms made ±301 a
      // coin toss near a second's end (the exact boundary is in portal-signature.spec).
      ['a stale timestamp', { skew: -310 }],
      ['a timestamp from the future', { skew: 310 }],
      ["another portal's secret", { secret: 'dev-mh-aaplesarkar-webhook-secret' }],
    ])('%s → 401', async (_name, { skew, ...forge }: { secret?: string; skew?: number }) => {
      if (skew) Object.assign(forge, { timestamp: Math.floor(Date.now() / 1000) + skew });
      const before = await hub.prisma.inboundEvent.count();
      const res = await signedPush(hub, 'UP-IGRS', event(), forge).expect(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(await hub.prisma.inboundEvent.count()).toBe(before);
    });

    it('a push without signature headers → 401', async () => {
      await request(hub.url)
        .post('/api/v1/portals/UP-IGRS/status-updates')
        .send(event())
        .expect(401);
    });

    it('an unknown portal, or one that does not push → 404', async () => {
      await signedPush(hub, 'KA-SPANDANA', event(), { secret: 'x' }).expect(404);
      await signedPush(hub, 'CPGRAMS', event(), { secret: 'x' }).expect(404);
    });
  });

  it("logs what a push brought under the request id of the push's answer", async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const res = await signedPush(hub, 'UP-IGRS', {
      eventId: `${c.externalRef}-logged`,
      externalRef: c.externalRef,
      status: 'Prakriyadheen',
      occurredAt: new Date().toISOString(),
    }).expect(202);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // Written by the service, deep inside the request: the request's logger reaches it.
    const line = hub.logs
      .map((l) => JSON.parse(l) as { msg?: string; req?: { id?: string } })
      .find((entry) => entry.msg === 'Status events received' && entry.req?.id === id);
    expect(line).toMatchObject({ portal: 'UP-IGRS', accepted: 1, req: { method: 'POST' } });
  });

  it('keeps a late event in the timeline but never moves the status backwards', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const working = up().recordStatus(c.externalRef, 'Prakriyadheen');
    const done = up().recordStatus(c.externalRef, 'Nistarit', {
      remarks: 'Repaired',
      at: new Date(Date.now() + 1_000),
    });
    // The portal's pushes arrive the wrong way round, as separate requests.
    expect((await up().pushChanges(done)).status).toBe(202);
    await waitForStatus(hub, c, 'RESOLVED');
    expect((await up().pushChanges(working)).status).toBe(202);
    await settled(hub);
    const view = await track(hub, c);
    expect(view.status).toBe('RESOLVED');
    expect(view.timeline.map((e) => e.status)).toEqual([
      'RECEIVED',
      'ROUTED',
      'DELIVERED',
      'IN_PROGRESS',
      'RESOLVED',
    ]);
    const late = await hub.prisma.inboundEvent.findFirstOrThrow({
      where: { eventId: up().eventId(working) },
    });
    expect(late.outcome).toBe('late');
  });

  it('applies the events of one batch in the order they happened, reporting each event', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const other = await lodgeDelivered(hub, lucknowStreetlight());
    const base = Date.now();
    const t = (s: number) => new Date(base + s * 1000).toISOString();
    const good = (eventId: string, status: string, at: string, extra = {}) => ({
      eventId,
      externalRef: c.externalRef,
      status,
      occurredAt: at,
      ...extra,
    });
    const batch = {
      events: [
        good('b-closed', 'Nistarit', t(3), { remarks: 'Repaired' }),
        good('b-work', 'Prakriyadheen', t(1)),
        { ...good('b-unknown-ref', 'Agrasarit', t(2)), externalRef: '40099999999999' },
        good('b-unknown-status', 'Kho Gaya', t(2)),
        { ...good('b-no-remarks', 'Nistarit', t(2)), externalRef: other.externalRef },
        good('b-work', 'Prakriyadheen', t(1)),
        { eventId: 'b-shape', externalRef: c.externalRef },
      ],
    };
    const res = await signedPush(hub, 'UP-IGRS', batch).expect(202);
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 4 });
    expect(
      res.body.results.map(
        (r: { eventId: string; result: string; status: number; code?: string }) => [
          r.eventId,
          r.status,
          r.code ?? r.result,
        ],
      ),
    ).toEqual([
      ['b-closed', 202, 'accepted'],
      ['b-work', 202, 'accepted'],
      ['b-unknown-ref', 422, 'unknown-external-ref'],
      ['b-unknown-status', 422, 'unknown-status'],
      ['b-no-remarks', 422, 'closure-without-remarks'],
      ['b-work', 200, 'duplicate'],
      ['b-shape', 400, 'invalid-event'],
    ]);
    const view = await waitForStatus(hub, c, 'RESOLVED');
    expect(view.timeline.slice(3).map((e) => e.status)).toEqual(['IN_PROGRESS', 'RESOLVED']);
    expect((await track(hub, other)).status).toBe('DELIVERED');
    // Pushing the same batch again changes nothing.
    const again = await signedPush(hub, 'UP-IGRS', { events: batch.events.slice(0, 2) }).expect(
      200,
    );
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it('refuses RESOLVED or REJECTED without the portal remarks (422), storing nothing', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const change = up().recordStatus(c.externalRef, 'Vishesh Nistaran');
    const res = await up().pushChanges(change);
    expect(res).toMatchObject({
      status: 422,
      body: { type: expect.stringContaining('closure-without-remarks') },
    });
    expect(await hub.prisma.inboundEvent.count({ where: { eventId: up().eventId(change) } })).toBe(
      0,
    );
    expect((await track(hub, c)).status).toBe('DELIVERED');
    const unknown = await signedPush(hub, 'UP-IGRS', {
      eventId: 'x-1',
      externalRef: 'nope',
      status: 'Lambit',
      occurredAt: new Date().toISOString(),
    });
    expect(unknown.status).toBe(422);
  });

  it('re-routes a "not pertaining" grievance to the named portal, keeping its SLA deadline', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const change = up().recordStatus(c.externalRef, 'Not Pertaining', {
      transferredTo: 'CPGRAMS',
      remarks: 'Central matter',
    });
    expect((await up().pushChanges(change)).status).toBe(202);
    const view = await waitFor(
      async () => {
        const v = await track(hub, c);
        return v.status === 'DELIVERED' && v.dispatches.length === 2 ? v : undefined;
      },
      { what: 'delivery at CPGRAMS after the transfer' },
    );
    const cpgrams = hub.sandboxes.CPGRAMS.registrations().find(
      (r) => (r.body as { hubTrackingId: string }).hubTrackingId === c.trackingId,
    );
    expect(cpgrams?.externalRef).toMatch(/^GOVUP\/E\/\d{4}\/\d{7}$/);
    expect(view.dispatches).toEqual([
      expect.objectContaining({
        portalCode: 'UP-IGRS',
        primary: false,
        externalRef: c.externalRef,
      }),
      expect.objectContaining({
        portalCode: 'CPGRAMS',
        primary: true,
        externalRef: cpgrams!.externalRef,
      }),
    ]);
    expect(view.slaDueAt).toBe(c.view.slaDueAt);
    expect(view.timeline.map((e) => [e.status, e.source])).toEqual([
      ['RECEIVED', 'hub'],
      ['ROUTED', 'hub'],
      ['DELIVERED', 'portal:UP-IGRS'],
      ['TRANSFERRED', 'portal:UP-IGRS'],
      ['DELIVERED', 'portal:CPGRAMS'],
    ]);
    // The grievance keeps when it was first transferred (the District Governance Index counts it).
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: c.trackingId },
      select: { transferredAt: true, statusEvents: { where: { status: 'TRANSFERRED' } } },
    });
    expect(row.statusEvents).toHaveLength(1);
    expect(row.transferredAt).toEqual(row.statusEvents[0].occurredAt);
    // A later word from the portal that gave it away is kept, but no longer moves it.
    const late = up().recordStatus(c.externalRef, 'Band');
    await up().pushChanges(late);
    await settled(hub);
    expect((await track(hub, c)).status).toBe('DELIVERED');
  });

  describe('events that arrive before the one they follow', () => {
    /** `second` seconds after the grievance was lodged (no portal event can predate it). */
    const at = (c: Lodged, second: number) =>
      new Date(Date.parse(c.view.createdAt) + second * 1000);
    /** Pushes one UP-IGRS event (native status) for the grievance and waits until it is handled. */
    async function push(
      c: Lodged,
      id: string,
      status: string,
      second: number,
      remarks?: string,
      transferredTo?: string,
    ) {
      const event = {
        eventId: `${c.externalRef}-${id}`,
        externalRef: c.externalRef,
        status,
        occurredAt: at(c, second).toISOString(),
        ...(remarks && { remarks }),
        ...(transferredTo && { transferredTo }),
      };
      await signedPush(hub, 'UP-IGRS', event).expect(202);
      await settled(hub);
    }
    const complaintOf = (c: Lodged) =>
      hub.prisma.complaint.findUniqueOrThrow({ where: { trackingId: c.trackingId } });
    const notificationKinds = (complaintId: string, expected: number) =>
      waitFor(
        async () => {
          const n = await hub.prisma.notification.findMany({ where: { complaintId } });
          return n.length === expected ? n.map((x) => x.kind).sort() : undefined;
        },
        { what: `${expected} notifications` },
      );

    it('a rejection pushed before the reopening it follows applies after it, and the citizen is told', async () => {
      const c = await lodgeDelivered(hub, lucknowStreetlight());
      await push(c, 'resolved', 'Nistarit', 1, 'Lights repaired');
      // Rejected after a reopening, but the rejection arrives first: not allowed on a resolved
      // grievance, so it waits; the reopening then lets it apply.
      await push(c, 'rejected', 'Vishesh Nistaran', 3, 'Duplicate');
      await push(c, 'reopened', 'Reopened', 2);

      const view = await waitForStatus(hub, c, 'REJECTED');
      expect(view.timeline.filter((e) => e.status === 'REJECTED')).toHaveLength(1);
      const row = await complaintOf(c);
      expect(await notificationKinds(row.id, 3)).toEqual(['registered', 'rejected', 'resolved']);
    });

    it('a second resolution pushed before the reopening it follows still resolves the grievance', async () => {
      const c = await lodgeDelivered(hub, lucknowStreetlight());
      await push(c, 'first', 'Nistarit', 1, 'Lights repaired');
      // Same status as the grievance's when it arrives; applies once the reopening has.
      await push(c, 'again', 'Nistarit', 3, 'Repaired again');
      await push(c, 'reopened', 'Reopened', 2);

      const row = await complaintOf(c);
      expect(row).toMatchObject({ status: 'RESOLVED', statusAt: at(c, 3) });
      const outcomes = await hub.prisma.inboundEvent.findMany({
        where: { complaintId: row.id },
        orderBy: { occurredAt: 'asc' },
      });
      expect(outcomes.map((e) => e.outcome)).toEqual([
        'applied',
        'applied',
        'applied-after-reorder',
      ]);
      expect(await notificationKinds(row.id, 3)).toEqual(['registered', 'resolved', 'resolved']);
    });

    it.each([
      ['the transfer', ['transfer', 'resolution']],
      ['the resolution', ['resolution', 'transfer']],
    ])(
      'a transfer to CPGRAMS and a resolution at the same instant, %s pushed first: the transfer wins',
      async (_name, order) => {
        const c = await lodgeDelivered(hub, lucknowStreetlight());
        for (const which of order)
          if (which === 'transfer')
            await push(c, which, 'Not Pertaining', 1, 'Central matter', 'CPGRAMS');
          else await push(c, which, 'Nistarit', 1, 'Lights repaired');

        // Both applied (push waits until they are): the grievance has left UP-IGRS.
        expect(await complaintOf(c)).toMatchObject({ primaryPortalCode: 'CPGRAMS' });
        // Sent on to CPGRAMS once, which registers it; the old portal's resolution is history.
        const view = await waitFor(
          async () => {
            const v = await track(hub, c);
            return v.status === 'DELIVERED' && v.dispatches.length === 2 ? v : undefined;
          },
          { what: 'delivery at CPGRAMS after the transfer' },
        );
        expect(view.dispatches.map((d) => [d.portalCode, d.primary, d.status])).toEqual([
          ['UP-IGRS', false, 'DELIVERED'],
          ['CPGRAMS', true, 'DELIVERED'],
        ]);
        expect(view.timeline.map((e) => [e.status, e.source])).toEqual(
          expect.arrayContaining([
            ['TRANSFERRED', 'portal:UP-IGRS'],
            ['RESOLVED', 'portal:UP-IGRS'],
            ['DELIVERED', 'portal:CPGRAMS'],
          ]),
        );
        const row = await complaintOf(c);
        expect(row).toMatchObject({
          primaryPortalCode: 'CPGRAMS',
          resolvedAt: null,
          resolvedByPortal: null,
          resolutionRemarks: null,
        });
        const kinds = await hub.prisma.notification.findMany({ where: { complaintId: row.id } });
        expect(kinds.map((n) => n.kind)).toContain('transferred');
      },
    );
  });
});
