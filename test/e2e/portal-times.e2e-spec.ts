import request from 'supertest';
import { StatusPoller } from '../../src/inbound/status-poller.service';
import { lucknowStreetlight, railwayRefund } from '../support/fixtures';
import { staffKey } from '../support/staff-fixtures';
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

describe('portal times are input, not truth', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());

  const up = () => hub.sandboxes['UP-IGRS'];
  const row = (c: Lodged) =>
    hub.prisma.complaint.findUniqueOrThrow({ where: { trackingId: c.trackingId } });
  const stored = (eventId: string) => hub.prisma.inboundEvent.count({ where: { eventId } });
  const appeal = (c: Lodged) =>
    request(hub.url)
      .post(`/api/v1/complaints/${c.trackingId}/appeal`)
      .set('X-Access-Token', c.accessToken)
      .send({ reason: 'Two of the lights went off again the next day.' });
  /** hub_portal_events_refused_total for one portal and reason (0 before the first). */
  async function refusals(portal: string, reason: string): Promise<number> {
    const text = (await request(hub.url).get('/metrics').expect(200)).text;
    const line = text
      .split('\n')
      .find((l) =>
        l.startsWith(`hub_portal_events_refused_total{portal="${portal}",reason="${reason}"}`),
      );
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  it('refuses an event dated before the lodging; the rest of the batch goes on, and the appeal window rests on the real resolution', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const before = await refusals('UP-IGRS', 'occurred-before-lodging');
    const event = (eventId: string, status: string, occurredAt: string, remarks?: string) => ({
      eventId: `${c.externalRef}-${eventId}`,
      externalRef: c.externalRef,
      status,
      occurredAt,
      ...(remarks && { remarks }),
    });
    const res = await signedPush(hub, 'UP-IGRS', {
      events: [
        event('y2k', 'Nistarit', '2000-01-01T00:00:00Z', 'Disposed'),
        event('work', 'Prakriyadheen', new Date().toISOString()),
      ],
    }).expect(202);
    expect(res.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(res.body.results[0]).toEqual({
      eventId: `${c.externalRef}-y2k`,
      result: 'rejected',
      status: 422,
      code: 'occurred-before-lodging',
      detail: expect.stringMatching(/^occurredAt 2000-01-01T00:00:00.000Z is before the grievance/),
    });
    expect(await stored(`${c.externalRef}-y2k`)).toBe(0);
    expect(await refusals('UP-IGRS', 'occurred-before-lodging')).toBe(before + 1);
    await waitForStatus(hub, c, 'IN_PROGRESS');
    expect((await row(c)).resolvedAt).toBeNull();

    const done = up().recordStatus(c.externalRef, 'Nistarit', { remarks: 'Lights repaired' });
    expect((await up().pushChanges(done)).status).toBe(202);
    await waitForStatus(hub, c, 'RESOLVED');
    await appeal(c).expect(202);
  });

  it("refuses an event from the future; the portal's real resolution then applies", async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const before = await refusals('UP-IGRS', 'occurred-in-future');
    const future = up().recordStatus(c.externalRef, 'Nistarit', {
      remarks: 'Disposed',
      at: new Date('2099-01-01T00:00:00Z'),
    });
    const res = await up().pushChanges(future);
    expect(res).toMatchObject({
      status: 422,
      body: { type: expect.stringContaining('occurred-in-future') },
    });
    expect(await stored(up().eventId(future))).toBe(0);
    expect(await refusals('UP-IGRS', 'occurred-in-future')).toBe(before + 1);

    const done = up().recordStatus(c.externalRef, 'Nistarit', { remarks: 'Lights repaired' });
    expect((await up().pushChanges(done)).status).toBe(202);
    await waitForStatus(hub, c, 'RESOLVED');
    expect(await row(c)).toMatchObject({
      statusAt: new Date(done.at),
      resolvedAt: new Date(done.at),
    });
  });

  it('refuses a polled event outside the bounds, counts it and never applies it; the feed moves on', async () => {
    const c = await lodgeDelivered(hub, railwayRefund());
    const cpgrams = hub.sandboxes.CPGRAMS;
    const before = await refusals('CPGRAMS', 'occurred-before-lodging');
    const old = cpgrams.recordStatus(c.externalRef, 'Case Disposed', {
      remarks: 'Refund credited',
      at: new Date('2000-01-01T00:00:00Z'),
    });
    cpgrams.recordStatus(c.externalRef, 'Under Examination');
    await hub.app.get(StatusPoller).pollOnce('CPGRAMS', 'test-poll');
    await waitForStatus(hub, c, 'IN_PROGRESS');
    await settled(hub);
    expect(await stored(cpgrams.eventId(old))).toBe(0);
    expect(await refusals('CPGRAMS', 'occurred-before-lodging')).toBeGreaterThan(before);
    expect(await row(c)).toMatchObject({ status: 'IN_PROGRESS', resolvedAt: null });
  });

  it('a polled event with a NUL in its remarks is refused on its own; the feed does not stall on it', async () => {
    const c = await lodgeDelivered(hub, railwayRefund());
    const cpgrams = hub.sandboxes.CPGRAMS;
    const before = await refusals('CPGRAMS', 'invalid-event');
    const bad = cpgrams.recordStatus(c.externalRef, 'Case Disposed', { remarks: 'Refund\u0000' });
    cpgrams.recordStatus(c.externalRef, 'Under Examination');
    await hub.app.get(StatusPoller).pollOnce('CPGRAMS', 'test-poll-nul');
    await waitForStatus(hub, c, 'IN_PROGRESS');
    expect(await stored(cpgrams.eventId(bad))).toBe(0);
    expect(await refusals('CPGRAMS', 'invalid-event')).toBeGreaterThan(before);
  });

  it('refuses portal remarks with control characters (the citizen reads them), storing nothing', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const before = await refusals('UP-IGRS', 'invalid-event');
    const hostile = up().recordStatus(c.externalRef, 'Nistarit', {
      remarks: 'Repaired\u001b[2J\u0000',
    });
    const res = await up().pushChanges(hostile);
    expect(res).toMatchObject({
      status: 400,
      body: { detail: 'remarks: must not contain control characters' },
    });
    expect(await stored(up().eventId(hostile))).toBe(0);
    expect(await refusals('UP-IGRS', 'invalid-event')).toBe(before + 1);
    // Line breaks are text, not control: an officer's multi-line remarks are kept.
    const lines = up().recordStatus(c.externalRef, 'Nistarit', {
      remarks: 'Repaired.\nPoles 3 and 4 rewired.',
    });
    expect((await up().pushChanges(lines)).status).toBe(202);
    await waitForStatus(hub, c, 'RESOLVED');
  });

  it('a grievance resolved again after an appeal shows the later resolution', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const first = up().recordStatus(c.externalRef, 'Nistarit', { remarks: 'Lights repaired' });
    expect((await up().pushChanges(first)).status).toBe(202);
    await waitFor(async () => (await track(hub, c)).status === 'RESOLVED', { what: 'RESOLVED' });

    await appeal(c).expect(202);
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

  it('the appeal window runs from the resolution that stands, not one the portal reopened', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const DAY = 24 * 3600 * 1000;
    const now = Date.now();
    // Lodged 60 days ago (the bounds would refuse the older events otherwise).
    await hub.prisma.complaint.update({
      where: { trackingId: c.trackingId },
      data: { createdAt: new Date(now - 60 * DAY) },
    });
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
    const push = (id: string, status: string, occurredAt: string, remarks?: string) =>
      signedPush(hub, 'UP-IGRS', {
        eventId: `${c.externalRef}-${id}`,
        externalRef: c.externalRef,
        status,
        occurredAt,
        ...(remarks && { remarks }),
      }).expect(202);
    // Resolved 50 days ago, reopened by the portal the next day, resolved for good yesterday.
    await push('first', 'Nistarit', at(50), 'Lights repaired');
    await waitForStatus(hub, c, 'RESOLVED');
    await push('reopen', 'Reverted for Re-examination', at(49));
    await waitForStatus(hub, c, 'IN_PROGRESS');
    await push('final', 'Nistarit', at(1), 'Poles rewired');
    await waitForStatus(hub, c, 'RESOLVED');
    // 30 days from the outcome the citizen is appealing against (yesterday), not from day 50.
    await appeal(c).expect(202);
  });

  it('an event with a lone surrogate in its text is refused on its own, pushed or polled; nothing fails on it', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    // Valid JSON, but not Unicode: PostgreSQL's jsonb refuses "\\ud800" (the raw payload is kept).
    const raw = `{"events":[{"eventId":"${c.externalRef}-lone","externalRef":"${c.externalRef}","status":"Nistarit","occurredAt":"${new Date().toISOString()}","remarks":"Repaired \\ud800"},{"eventId":"${c.externalRef}-ok","externalRef":"${c.externalRef}","status":"Prakriyadheen","occurredAt":"${new Date().toISOString()}"}]}`;
    const res = await signedPush(hub, 'UP-IGRS', JSON.parse(raw));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(res.body.results[0]).toMatchObject({
      result: 'rejected',
      status: 400,
      code: 'invalid-event',
    });
    await waitForStatus(hub, c, 'IN_PROGRESS');

    const polled = await lodgeDelivered(hub, railwayRefund());
    const cpgrams = hub.sandboxes.CPGRAMS;
    const bad = cpgrams.recordStatus(polled.externalRef, 'Case Disposed', {
      remarks: 'Refund \ud800',
    });
    cpgrams.recordStatus(polled.externalRef, 'Under Examination');
    await hub.app.get(StatusPoller).pollOnce('CPGRAMS', 'test-poll-surrogate');
    await waitForStatus(hub, polled, 'IN_PROGRESS');
    expect(await stored(cpgrams.eventId(bad))).toBe(0);
  });
});
