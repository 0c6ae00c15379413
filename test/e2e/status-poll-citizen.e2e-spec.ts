import request from 'supertest';
import { AutoCloseService } from '../../src/inbound/auto-close.service';
import { StatusPoller } from '../../src/inbound/status-poller.service';
import { lucknowStreetlight, railwayRefund } from '../support/fixtures';
import { lodgeDelivered, settled, track, waitForStatus, type Lodged } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

const DAY = 86_400_000;

describe('polling CPGRAMS, and what a citizen can do once the portal answers', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({
      // CPGRAMS is polled; here it may also push, to prove one effect for both.
      portal: (p) =>
        p.code === 'CPGRAMS'
          ? { ...p, poll: { everyMs: 200 }, webhookSecret: 'cpgrams-test-push-secret' }
          : p,
    });
  });
  afterAll(() => hub.close());

  const cpgrams = () => hub.sandboxes.CPGRAMS;
  const post = (c: Lodged, path: string, body?: object, token = c.accessToken) =>
    request(hub.url)
      .post(`/api/v1/complaints/${c.trackingId}/${path}`)
      .set('X-Access-Token', token)
      .send(body);

  it('follows a central grievance to RESOLVED through the polled status feed', async () => {
    const c = await lodgeDelivered(hub, railwayRefund());
    cpgrams().recordStatus(c.externalRef, 'Under Examination');
    await waitForStatus(hub, c, 'IN_PROGRESS');
    cpgrams().recordStatus(c.externalRef, 'Case Disposed', { remarks: 'Refund credited' });
    const view = await waitForStatus(hub, c, 'RESOLVED');
    expect(view.timeline.slice(3)).toEqual([
      expect.objectContaining({ status: 'IN_PROGRESS', source: 'portal:CPGRAMS' }),
      expect.objectContaining({ status: 'RESOLVED', remarks: 'Case Disposed: Refund credited' }),
    ]);
    const cursor = await hub.prisma.pollCursor.findUniqueOrThrow({
      where: { portalCode: 'CPGRAMS' },
    });
    expect(cursor.cursor).toMatch(/^\d+$/);
  });

  it('applies an event that was both pushed and polled once, with one notification', async () => {
    const c = await lodgeDelivered(hub, railwayRefund());
    const change = cpgrams().recordStatus(c.externalRef, 'Case Disposed', { remarks: 'Refunded' });
    const pushed = await cpgrams().pushChanges(change);
    expect([200, 202]).toContain(pushed.status); // the poller may have stored it first
    await waitForStatus(hub, c, 'RESOLVED');
    // The poller reads it too (the cursor passes it), and finds it already stored.
    await hub.app.get(StatusPoller).pollOnce('CPGRAMS', 'test-poll');
    await settled(hub);
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: c.trackingId },
    });
    expect(await hub.prisma.inboundEvent.count({ where: { complaintId: row.id } })).toBe(1);
    expect(
      await hub.prisma.statusEvent.count({ where: { complaintId: row.id, status: 'RESOLVED' } }),
    ).toBe(1);
    expect(
      await hub.prisma.notification.count({ where: { complaintId: row.id, kind: 'resolved' } }),
    ).toBe(1);
  });

  it('takes feedback once, only after resolution (409 before, 409 twice), and closes the grievance', async () => {
    const c = await lodgeDelivered(hub, railwayRefund());
    const early = await post(c, 'feedback', { rating: 4 }).expect(409);
    expect(early.body.type).toContain('not-resolved');
    await post(c, 'feedback', { rating: 9 }).expect(400);
    cpgrams().recordStatus(c.externalRef, 'Case Disposed', { remarks: 'Refund credited' });
    await waitForStatus(hub, c, 'RESOLVED');
    const given = await post(c, 'feedback', { rating: 4, comment: 'Quick refund' }).expect(201);
    expect(given.body).toEqual({ trackingId: c.trackingId, rating: 4, status: 'CLOSED' });
    const twice = await post(c, 'feedback', { rating: 1 }).expect(409);
    expect(twice.body.type).toContain('feedback-already-given');
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: c.trackingId },
    });
    expect(row).toMatchObject({ feedbackRating: 4, status: 'CLOSED', closedAt: expect.any(Date) });
    expect((await track(hub, c)).closedAt).not.toBeNull();
  });

  it('answers 404 alike for an unknown id and a wrong token', async () => {
    const c = await lodgeDelivered(hub, railwayRefund());
    const wrong = await post(c, 'reminders', undefined, 'not-the-token').expect(404);
    const unknown = await request(hub.url)
      .post('/api/v1/complaints/ONOP-2222-3333-4444/reminders')
      .set('X-Access-Token', c.accessToken)
      .expect(404);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('forwards an appeal to the appellate level within the window, with its own deadline', async () => {
    const c = await lodgeDelivered(hub, railwayRefund());
    await post(c, 'appeal', { reason: 'The refund never reached my account.' }).expect(409);
    cpgrams().recordStatus(c.externalRef, 'Case Disposed', { remarks: 'Refund credited' });
    await waitForStatus(hub, c, 'RESOLVED');
    const res = await post(c, 'appeal', { reason: 'The refund never reached my account.' }).expect(
      202,
    );
    const days = (Date.parse(res.body.appealDueAt) - Date.now()) / DAY;
    expect(days).toBeCloseTo(30, 0);
    await waitFor(
      () =>
        cpgrams()
          .registrations()
          .find((r) => r.externalRef === c.externalRef)?.appeals.length === 1,
      { what: 'the appeal at CPGRAMS' },
    );
    const view = await waitFor(
      async () => {
        const v = await track(hub, c);
        return v.timeline.some((e) => e.remarks?.startsWith('Appeal registered at CPGRAMS as '))
          ? v
          : undefined;
      },
      { what: 'the appeal number on the timeline' },
    );
    expect(view.status).toBe('APPEALED');
    await post(c, 'appeal', { reason: 'Appealing a second time.' }).expect(409);

    cpgrams().recordStatus(c.externalRef, 'Appeal Disposed', { remarks: 'Refund re-issued' });
    await waitForStatus(hub, c, 'RESOLVED');
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: c.trackingId },
    });
    await waitFor(
      () =>
        hub.prisma.notification.count({ where: { complaintId: row.id, kind: 'appeal-resolved' } }),
      { what: 'appeal outcome notification' },
    );
  });

  it('refuses an appeal after the appeal window (409)', async () => {
    const c = await lodgeDelivered(hub, railwayRefund());
    // Lodged 45 days ago and disposed 40 days ago (the CPGRAMS appeal window is 30 days): a
    // disposal cannot predate the grievance, so the lodging moves back too.
    await hub.prisma.complaint.update({
      where: { trackingId: c.trackingId },
      data: { createdAt: new Date(Date.now() - 45 * DAY) },
    });
    cpgrams().recordStatus(c.externalRef, 'Case Disposed', {
      remarks: 'Refund credited',
      at: new Date(Date.now() - 40 * DAY),
    });
    await waitForStatus(hub, c, 'RESOLVED');
    const res = await post(c, 'appeal', { reason: 'The refund never reached my account.' }).expect(
      409,
    );
    expect(res.body.type).toContain('appeal-window-closed');
  });

  it('forwards a reminder, and refuses a second one within 7 days with 429 and Retry-After', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const first = await post(c, 'reminders').expect(202);
    expect(Date.parse(first.body.nextReminderAllowedAt) - Date.parse(first.body.acceptedAt)).toBe(
      7 * DAY,
    );
    await waitFor(
      () =>
        hub.sandboxes['UP-IGRS'].registrations().find((r) => r.externalRef === c.externalRef)
          ?.reminders.length === 1,
      { what: 'the reminder at UP IGRS' },
    );
    const second = await post(c, 'reminders').expect(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(7 * 86_400 - 60);
    expect(second.body.type).toContain('reminder-too-soon');
  });

  it('closes a resolved grievance nobody gave feedback on after the configured period', async () => {
    const c = await lodgeDelivered(hub, railwayRefund());
    cpgrams().recordStatus(c.externalRef, 'Disposed as Not Actionable', { remarks: 'Sub judice' });
    await waitForStatus(hub, c, 'REJECTED');
    const autoClose = hub.app.get(AutoCloseService);
    await autoClose.run(new Date(Date.now() + 14 * DAY));
    expect((await track(hub, c)).status).toBe('REJECTED');
    await autoClose.run(new Date(Date.now() + 16 * DAY));
    const view = await track(hub, c);
    expect(view.status).toBe('CLOSED');
    expect(view.timeline.at(-1)).toMatchObject({
      status: 'CLOSED',
      source: 'hub',
      remarks: expect.stringContaining('15 days'),
    });
  });
});
