import request from 'supertest';
import { DispatchRepository, ExternalRefTakenError } from '../../src/dispatch/dispatch.repository';
import { NotificationsRepository } from '../../src/notifications/notifications.repository';
import { lucknowStreetlight } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';

/**
 * The worker batches the reads and writes of deliveries running at the same moment into one
 * statement each. Batched, every delivery must still get its own outcome. The api role runs no
 * relay or worker, so the dispatches stay PENDING until the test settles them itself.
 */
describe('batched delivery statements', () => {
  let hub: TestHub;
  let repository: DispatchRepository;
  beforeAll(async () => {
    hub = await startTestHub({ env: { HUB_ROLE: 'api' } });
    repository = hub.app.get(DispatchRepository);
  });
  afterAll(() => hub.close());

  async function lodgePending(n: number) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await request(hub.url)
        .post('/api/v1/complaints')
        .send(lucknowStreetlight({ subject: `Streetlights out, lane ${i + 1}` }))
        .expect(201);
      const c = await hub.prisma.complaint.findUniqueOrThrow({
        where: { trackingId: res.body.trackingId },
        include: { dispatches: true },
      });
      ids.push(c.dispatches[0].id);
    }
    return ids;
  }

  const delivery = (id: string, externalRef: string) => ({
    dispatch: { id, portalCode: 'UP-IGRS' },
    claim: 0,
    externalRef,
    deliveredAt: new Date(),
    slaDueAt: new Date(Date.now() + 30 * 86_400_000),
  });

  /**
   * Runs `work` and returns the statements sent to the database's pools that carry any
   * of `ids` among their parameters (as a value, or inside an array value), as the id lists
   * they carry: what reached PostgreSQL, whatever the statement's text.
   */
  async function statementsCarrying(ids: string[], work: () => Promise<unknown>) {
    // Both pools: the prepared statements run on their own (decision 0036).
    const spies = [hub.prisma.pool, hub.prisma.hotPool].map((pool) => jest.spyOn(pool, 'query'));
    try {
      await work();
      return (
        spies
          .flatMap((spy) => spy.mock.calls)
          // (text, values), or a prepared statement's ({ name, text, values }).
          .map((call) => {
            const config = call[0] as unknown as { values?: unknown[] };
            const values = typeof config === 'object' && config?.values ? config.values : call[1];
            return Array.isArray(values) ? (values as unknown[]) : [];
          })
          .map((values) =>
            values.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => ids.includes(v)),
          )
          .filter((carried) => carried.length > 0)
      );
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  }

  it('sends the lookups and marks of concurrent deliveries as one statement each', async () => {
    const ids = await lodgePending(3);
    const found = await statementsCarrying(ids, () =>
      Promise.all(ids.map((id) => repository.findForDelivery(id))),
    );
    expect(found).toEqual([ids]);
    const inFlight = await statementsCarrying(ids, () =>
      Promise.all(ids.map((id) => repository.markInFlight(id, 0, 10_000))),
    );
    expect(inFlight).toEqual([ids]);
    const delivered = await statementsCarrying(ids, () =>
      Promise.all(
        ids.map((id, i) =>
          repository.markDelivered({ ...delivery(id, `UP/2026/00004${i}`), claim: 1 }),
        ),
      ),
    );
    expect(delivered).toEqual([ids]);
    const rows = await hub.prisma.dispatch.findMany({ where: { id: { in: ids } } });
    expect(rows.map((r) => r.status)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);

    const notifications = new NotificationsRepository(hub.prisma);
    const pending = await hub.prisma.notification.findMany({
      where: { complaintId: { in: rows.map((r) => r.complaintId) } },
      orderBy: { id: 'asc' },
    });
    const notificationIds = pending.map((n) => n.id);
    expect(notificationIds).toHaveLength(3);
    const sendable = await statementsCarrying(notificationIds, () =>
      Promise.all(notificationIds.map((id) => notifications.findForSending(id))),
    );
    expect(sendable).toEqual([notificationIds]);
    const sent = await statementsCarrying(notificationIds, () =>
      Promise.all(notificationIds.map((id) => notifications.markSent(id, { sms: 'sent' }))),
    );
    expect(sent).toEqual([notificationIds]);
  });

  it('finds several dispatches at once, each with its own grievance, and null for an unknown id', async () => {
    const ids = await lodgePending(3);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const found = await Promise.all([...ids, unknown].map((id) => repository.findForDelivery(id)));
    expect(found.map((d) => d?.id ?? null)).toEqual([...ids, null]);
    expect(found.slice(0, 3).map((d) => d!.complaint.subject)).toEqual([
      'Streetlights out, lane 1',
      'Streetlights out, lane 2',
      'Streetlights out, lane 3',
    ]);
  });

  it('settles deliveries together; a reference another grievance holds fails only its own', async () => {
    const [earlier, a, b, clash] = await lodgePending(4);
    await repository.markDelivered(delivery(earlier, 'UP/2026/000001'));

    expect(
      await Promise.all([
        repository.markInFlight(a, 0, 10_000),
        repository.markInFlight(b, 0, 10_000),
      ]),
    ).toEqual([1, 1]);
    const outcomes = await Promise.allSettled([
      repository.markDelivered({ ...delivery(a, 'UP/2026/000002'), claim: 1 }),
      repository.markDelivered({ ...delivery(b, 'UP/2026/000003'), claim: 1 }),
      repository.markDelivered(delivery(clash, 'UP/2026/000001')),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refused = (outcomes[2] as PromiseRejectedResult).reason;
    expect(refused).toBeInstanceOf(ExternalRefTakenError);
    expect(refused.message).toContain('UP-IGRS registered the grievance as UP/2026/000001');

    const rows = await hub.prisma.dispatch.findMany({
      where: { id: { in: [a, b, clash] } },
      include: { complaint: { include: { statusEvents: true } } },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [id, ref] of [
      [a, 'UP/2026/000002'],
      [b, 'UP/2026/000003'],
    ]) {
      const d = byId.get(id)!;
      expect(d).toMatchObject({ status: 'DELIVERED', externalRef: ref, attempts: 1 });
      expect(d.complaint.status).toBe('DELIVERED');
      expect(d.complaint.slaDueAt).not.toBeNull();
      expect(d.complaint.statusEvents.filter((e) => e.status === 'DELIVERED')).toHaveLength(1);
      const notified = await hub.prisma.notification.findMany({
        where: { complaintId: d.complaintId },
      });
      expect(notified.map((n) => n.kind)).toEqual(['registered']);
    }
    const clashed = byId.get(clash)!;
    expect(clashed).toMatchObject({ status: 'PENDING', externalRef: null });
    expect(clashed.complaint.status).toBe('RECEIVED');
    expect(clashed.complaint.statusEvents.map((e) => e.status)).toEqual(['RECEIVED']);
  });

  it('settling the same dispatch twice in one batch delivers it once', async () => {
    const [id] = await lodgePending(1);
    await Promise.all([
      repository.markDelivered(delivery(id, 'UP/2026/000010')),
      repository.markDelivered(delivery(id, 'UP/2026/000010')),
    ]);
    const events = await hub.prisma.statusEvent.findMany({
      where: { complaint: { dispatches: { some: { id } } }, status: 'DELIVERED' },
    });
    expect(events).toHaveLength(1);
  });

  it('a later delivery of the same grievance keeps the SLA clock the first one started', async () => {
    const [first] = await lodgePending(1);
    const startedAt = new Date(Date.now() - 5 * 86_400_000);
    const dueAt = new Date(Date.now() + 25 * 86_400_000);
    await repository.markDelivered({
      ...delivery(first, 'UP/2026/000030'),
      deliveredAt: startedAt,
      slaDueAt: dueAt,
    });
    // Transferred, the new portal's delivery failed, and staff retried it: ROUTED again with a
    // new primary dispatch.
    const { complaintId } = await hub.prisma.dispatch.update({
      where: { id: first },
      data: { primary: false },
    });
    const second = await hub.prisma.dispatch.create({
      // Already queued: the relay leaves it to this test.
      data: { complaintId, portalCode: 'CPGRAMS', primary: true, queuedAt: new Date() },
    });
    await hub.prisma.complaint.update({ where: { id: complaintId }, data: { status: 'ROUTED' } });

    await repository.markDelivered({
      dispatch: { id: second.id, portalCode: 'CPGRAMS' },
      claim: 0,
      externalRef: 'GOVUP/E/2026/0000031',
      deliveredAt: new Date(),
      slaDueAt: new Date(Date.now() + 30 * 86_400_000),
    });
    const c = await hub.prisma.complaint.findUniqueOrThrow({ where: { id: complaintId } });
    expect(c).toMatchObject({ status: 'DELIVERED', deliveredAt: startedAt, slaDueAt: dueAt });
  });

  it('finds and marks sent the notifications of several grievances together', async () => {
    const ids = await lodgePending(2);
    await Promise.all(
      ids.map((id, i) => repository.markDelivered(delivery(id, `UP/2026/00002${i}`))),
    );
    const dispatches = await hub.prisma.dispatch.findMany({
      where: { id: { in: ids } },
      include: { complaint: { select: { trackingId: true } } },
    });
    const trackingIdOf = new Map(dispatches.map((d) => [d.complaintId, d.complaint.trackingId]));
    const rows = await hub.prisma.notification.findMany({
      where: { complaintId: { in: [...trackingIdOf.keys()] } },
    });
    expect(rows).toHaveLength(2);
    const notifications = new NotificationsRepository(hub.prisma);
    const unknown = '00000000-0000-4000-8000-000000000001';
    const found = await Promise.all(
      [...rows.map((r) => r.id), unknown].map((id) => notifications.findForSending(id)),
    );
    expect(found.map((n) => n?.complaint.trackingId ?? null)).toEqual([
      ...rows.map((r) => trackingIdOf.get(r.complaintId)),
      null,
    ]);
    expect(found[0]).toMatchObject({ kind: 'registered', state: 'PENDING', channels: null });

    await Promise.all([
      notifications.markSent(rows[0].id, { sms: 'sent', email: 'skipped:no-smtp' }),
      notifications.markSent(rows[1].id, { sms: 'sent', email: 'sent' }),
    ]);
    const after = await hub.prisma.notification.findMany({
      where: { id: { in: [rows[0].id, rows[1].id] } },
    });
    const byId = new Map(after.map((n) => [n.id, n]));
    expect(byId.get(rows[0].id)).toMatchObject({
      state: 'SENT',
      attempts: 1,
      channels: { sms: 'sent', email: 'skipped:no-smtp' },
    });
    expect(byId.get(rows[1].id)).toMatchObject({
      state: 'SENT',
      attempts: 1,
      channels: { sms: 'sent', email: 'sent' },
    });
    expect(byId.get(rows[0].id)!.sentAt).not.toBeNull();
  });
});
