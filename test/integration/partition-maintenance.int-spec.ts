import { randomUUID } from 'node:crypto';
import { MonthlyPartitions, monthStart } from '../../src/platform/database/monthly-partitions';
import { PartitionMaintenance } from '../../src/privacy/partition-maintenance.service';
import { InboundRepository } from '../../src/inbound/inbound.repository';
import { PrivacyRepository } from '../../src/privacy/privacy.repository';
import { useMedium } from '../support/medium';
import { DAY_MS, insertGrievance } from '../support/staff-fixtures';

/** Issue 16, decision 0026: months created ahead, whole months dropped, erasure across months. */
describe('monthly partitions: maintenance and retention', () => {
  const medium = useMedium();
  let partitions: MonthlyPartitions;
  /** The first month after the migrated table (`<table>_before`): the migration's bound. */
  let bound: Date;
  const maintenance = (auditRetentionMonths: number, inboundEventsRetentionMonths = 13) =>
    new PartitionMaintenance(
      {
        ...medium.config,
        env: { ...medium.config.env, auditRetentionMonths, inboundEventsRetentionMonths },
      },
      partitions,
    );
  const names = async (table: string) => (await partitions.partitions(table)).map((p) => p.name);
  const partOf = async (table: string, id: string) =>
    (
      await medium.prisma.$queryRawUnsafe<{ part: string }[]>(
        `SELECT tableoid::regclass::text AS part FROM ${table} WHERE id = $1::uuid`,
        id,
      )
    )[0]?.part;
  const audit = async (at: Date) => {
    const id = randomUUID();
    await medium.prisma.$executeRaw`
      INSERT INTO audit_log (id, at, actor, action, outcome)
      VALUES (${id}::uuid, ${at}, 'key', 'staff.search', 'ok')`;
    return id;
  };
  const event = async (complaintId: string, recordedAt: Date, remarks = 'Officer visited') => {
    const id = randomUUID();
    await medium.prisma.$executeRaw`
      INSERT INTO status_events (id, complaint_id, status, source, remarks, occurred_at, recorded_at)
      VALUES (${id}::uuid, ${complaintId}::uuid, 'IN_PROGRESS', 'portal', ${remarks}, ${recordedAt}, ${recordedAt})`;
    return id;
  };
  const request = async (complaintId: string, createdAt: Date, reason = 'Please hurry') => {
    const id = randomUUID();
    await medium.prisma.$executeRaw`
      INSERT INTO portal_requests (id, complaint_id, dispatch_id, portal_code, kind, reason, correlation_id, created_at)
      VALUES (${id}::uuid, ${complaintId}::uuid, ${randomUUID()}::uuid, 'cpgrams', 'reminder', ${reason}, 'c', ${createdAt})`;
    return { id, createdAt };
  };
  /** A portal's status event stored at `receivedAt`, with its key, as the hub stores one. */
  const inbound = async (complaintId: string, receivedAt: Date, processed: boolean) => {
    const id = randomUUID();
    const eventId = `ev-${id}`;
    await medium.prisma.$executeRaw`
      INSERT INTO inbound_event_keys (portal_code, event_id, received_at)
      VALUES ('UP-IGRS', ${eventId}, ${receivedAt})`;
    await medium.prisma.$executeRaw`
      INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id,
        complaint_id, native_status, status, occurred_at, remarks, via, raw, correlation_id,
        received_at, processed_at)
      VALUES (${id}::uuid, 'UP-IGRS', ${eventId}, 'UP-REF-1', gen_random_uuid(),
        ${complaintId}::uuid, 'Nistarit', 'RESOLVED', ${receivedAt}, 'Road repaired', 'push',
        '{"note":"raw"}'::jsonb, 'c', ${receivedAt}, ${processed ? receivedAt : null})`;
    return { id, eventId };
  };
  const keyOf = async (eventId: string) =>
    (
      await medium.prisma.inboundEventKey.findUnique({
        where: { portalCode_eventId: { portalCode: 'UP-IGRS', eventId } },
      })
    )?.receivedAt;

  /** YYYYMM of the month `n` after the bound. */
  const month = (n: number) => {
    const m = monthStart(bound, n);
    return `${m.getUTCFullYear()}${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
  };

  beforeAll(async () => {
    partitions = new MonthlyPartitions(medium.prisma);
    const before = (await partitions.partitions('status_events')).find((p) =>
      p.name.endsWith('_before'),
    );
    bound = before!.upper;
  });

  it('creates the months ahead of now, contiguous, and a run again creates nothing', async () => {
    const now = new Date(monthStart(bound, 4).getTime() + 10 * DAY_MS);
    const report = await maintenance(24).run(now);
    // The migration made the bound's month and two more; now + 3 months needs four more.
    const expected = [3, 4, 5, 6, 7].map(month);
    expect(report.created).toEqual([
      ...expected.map((m) => `audit_log_p${m}`),
      ...expected.map((m) => `status_events_p${m}`),
      ...expected.map((m) => `portal_requests_p${m}`),
      ...expected.map((m) => `notifications_p${m}`),
      ...expected.map((m) => `inbound_events_p${m}`),
    ]);
    expect(await names('status_events')).toEqual([
      'status_events_before',
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((n) => `status_events_p${month(n)}`),
    ]);
    expect(await maintenance(24).run(now)).toEqual({ created: [], dropped: [], keysDeleted: 0 });

    // A new month's partition carries the parent's indexes and foreign key.
    const { id } = await insertGrievance(medium, { createdAt: bound });
    const eventId = await event(id, new Date(monthStart(bound, 7).getTime() + DAY_MS));
    expect(await partOf('status_events', eventId)).toBe(`status_events_p${month(7)}`);
    await expect(event(randomUUID(), monthStart(bound, 7))).rejects.toThrow(/foreign key/);
    const r = await request(id, new Date(monthStart(bound, 7).getTime() + DAY_MS));
    expect(await partOf('portal_requests', r.id)).toBe(`portal_requests_p${month(7)}`);
  });

  it("files a notification in its event's month, and once per event across every month", async () => {
    const { id } = await insertGrievance(medium, { createdAt: bound });
    const notify = (eventId: string, recordedAt: Date) =>
      medium.prisma.$executeRaw`
        INSERT INTO notifications (id, complaint_id, status_event_id, status_event_recorded_at, kind)
        VALUES (gen_random_uuid(), ${id}::uuid, ${eventId}::uuid, ${recordedAt}, 'status')
        ON CONFLICT (status_event_id, status_event_recorded_at) DO NOTHING`;
    const oldAt = new Date('2024-04-05T00:00:00Z');
    const recentAt = new Date(monthStart(bound, 1).getTime() + DAY_MS);
    const oldEvent = await event(id, oldAt);
    const recentEvent = await event(id, recentAt);
    expect(await notify(oldEvent, oldAt)).toBe(1);
    expect(await notify(recentEvent, recentAt)).toBe(1);
    // A second notification of the same event, even written months later, is the same key.
    expect(await notify(oldEvent, oldAt)).toBe(0);
    expect(await notify(recentEvent, recentAt)).toBe(0);
    const rows = await medium.prisma.$queryRaw<{ event: string; part: string }[]>`
      SELECT status_event_id::text AS event, tableoid::regclass::text AS part
      FROM notifications WHERE complaint_id = ${id}::uuid ORDER BY status_event_recorded_at`;
    expect(rows).toEqual([
      { event: oldEvent, part: 'notifications_before' },
      { event: recentEvent, part: `notifications_p${month(1)}` },
    ]);
  });

  it('links an SLA action to a request in any month by (id, created_at), and to one only', async () => {
    const { id } = await insertGrievance(medium, { createdAt: bound });
    const old = await request(id, new Date('2024-05-06T00:00:00Z'));
    const recent = await request(id, new Date(monthStart(bound, 2).getTime() + DAY_MS));
    expect(await partOf('portal_requests', old.id)).toBe('portal_requests_before');
    expect(await partOf('portal_requests', recent.id)).toBe(`portal_requests_p${month(2)}`);
    const act = (level: string, r: { id: string; createdAt: Date | null }) =>
      medium.prisma.$executeRaw`
        INSERT INTO sla_actions (complaint_id, level, portal_code, reminder, portal_request_id, portal_request_created_at)
        VALUES (${id}::uuid, ${level}, 'cpgrams', 'queued', ${r.id}::uuid, ${r.createdAt})`;
    await act('warning', old);
    await act('breach', recent);
    // The reference names the request's month: a wrong created_at, or an id alone, is refused.
    const unlinked = await request(id, new Date('2024-06-07T00:00:00Z'));
    await expect(act('l1', { id: unlinked.id, createdAt: recent.createdAt })).rejects.toThrow(
      /foreign key/,
    );
    await expect(act('l2', { id: randomUUID(), createdAt: null })).rejects.toThrow(/foreign key/);
    // One action per request, whichever month it is in.
    await expect(act('l3', old)).rejects.toThrow(/sla_actions_portal_request_id_key/);
    const linked = await medium.prisma.slaAction.findMany({
      where: { complaintId: id },
      include: { portalRequest: true },
      orderBy: { level: 'asc' },
    });
    expect(linked.map((a) => [a.level, a.portalRequest?.id])).toEqual([
      ['breach', recent.id],
      ['warning', old.id],
    ]);
  });

  it('refuses a row for a month without a partition: no default partition catches it', async () => {
    const { id } = await insertGrievance(medium, { createdAt: bound });
    const far = monthStart(bound, 60);
    await expect(event(id, far)).rejects.toThrow(/no partition of relation "status_events"/);
    await expect(audit(far)).rejects.toThrow(/no partition of relation "audit_log"/);
    const [{ n }] = await medium.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM status_events WHERE recorded_at >= ${far}`;
    expect(n).toBe(0);
  });

  it('drops whole audit months past retention, never a month of the timeline or of requests', async () => {
    const { id } = await insertGrievance(medium, { createdAt: bound });
    const oldRequest = await request(id, new Date('2024-01-02T00:00:00Z'));
    const firstMonthRequest = await request(id, new Date(bound.getTime() + 14 * DAY_MS));
    const old = await audit(new Date('2024-01-02T00:00:00Z'));
    const firstMonth = await audit(new Date(bound.getTime() + 14 * DAY_MS));
    const kept = await audit(new Date(monthStart(bound, 1).getTime() + 14 * DAY_MS));
    const oldEvent = await event(id, new Date('2024-01-02T00:00:00Z'));
    expect(await partOf('audit_log', old)).toBe('audit_log_before');

    // Retention of one month, run in the bound's third month: the cutoff is the second's start.
    const now = new Date(monthStart(bound, 2).getTime() + 9 * DAY_MS);
    const { dropped } = await maintenance(1).run(now);
    expect(dropped).toEqual(['audit_log_before', `audit_log_p${month(0)}`]);
    expect((await names('audit_log'))[0]).toBe(`audit_log_p${month(1)}`);
    expect(await partOf('audit_log', old)).toBeUndefined();
    expect(await partOf('audit_log', firstMonth)).toBeUndefined();
    expect(await partOf('audit_log', kept)).toBe(`audit_log_p${month(1)}`);
    expect(await partOf('status_events', oldEvent)).toBe('status_events_before');
    expect(await partOf('portal_requests', oldRequest.id)).toBe('portal_requests_before');
    expect(await partOf('portal_requests', firstMonthRequest.id)).toBe(
      `portal_requests_p${month(0)}`,
    );
  });

  it('finishes a retention run that stopped after detaching a month', async () => {
    const [oldest] = await names('audit_log');
    await medium.prisma.$executeRawUnsafe(`ALTER TABLE audit_log DETACH PARTITION ${oldest}`);
    const now = new Date(monthStart(bound, 2).getTime() + 9 * DAY_MS);
    expect((await maintenance(1).run(now)).dropped).toEqual([oldest]);
    const [{ t }] = await medium.prisma.$queryRawUnsafe<{ t: string | null }[]>(
      `SELECT to_regclass('${oldest}')::text AS t`,
    );
    expect(t).toBeNull();
  });

  it('erases the personal data of a closed grievance in every month of its timeline, requests and status events', async () => {
    const { id } = await insertGrievance(medium, {
      createdAt: new Date('2024-01-01T00:00:00Z'),
      status: 'CLOSED',
      closedAt: new Date('2024-03-01T00:00:00Z'),
    });
    await medium.prisma.$executeRaw`
      UPDATE complaints SET complainant_cipher = '\\x01'::bytea WHERE id = ${id}::uuid`;
    const events = [
      await event(id, new Date('2024-02-01T00:00:00Z')),
      await event(id, new Date(monthStart(bound, 3).getTime() + DAY_MS)),
    ];
    expect(await partOf('status_events', events[1])).toMatch(/^status_events_p\d{6}$/);
    const requestIds = [
      (await request(id, new Date('2024-02-01T00:00:00Z'))).id,
      (await request(id, new Date(monthStart(bound, 3).getTime() + DAY_MS))).id,
    ];
    expect(await partOf('portal_requests', requestIds[1])).toMatch(/^portal_requests_p\d{6}$/);
    const inboundIds = [
      (await inbound(id, new Date('2024-02-01T00:00:00Z'), true)).id,
      (await inbound(id, new Date(monthStart(bound, 3).getTime() + DAY_MS), true)).id,
    ];
    expect(await partOf('inbound_events', inboundIds[1])).toBe(`inbound_events_p${month(3)}`);

    const erased = await new PrivacyRepository(medium.prisma).eraseClosedBefore(
      new Date('2025-01-01T00:00:00Z'),
      10,
    );
    expect(erased).toBe(1);
    const rows = await medium.prisma.$queryRaw<{ remarks: string | null }[]>`
      SELECT remarks FROM status_events WHERE id = ANY(${events}::uuid[])`;
    expect(rows).toEqual([{ remarks: null }, { remarks: null }]);
    const requests = await medium.prisma.$queryRaw<{ reason: string | null }[]>`
      SELECT reason FROM portal_requests WHERE id = ANY(${requestIds}::uuid[])`;
    expect(requests).toEqual([{ reason: null }, { reason: null }]);
    const raw = await medium.prisma.$queryRaw<{ remarks: string | null; raw: unknown }[]>`
      SELECT remarks, raw FROM inbound_events WHERE id = ANY(${inboundIds}::uuid[])`;
    expect(raw).toEqual([
      { remarks: null, raw: {} },
      { remarks: null, raw: {} },
    ]);
  });

  it('stores a status event once across every month: a re-send of one stored months ago is a duplicate', async () => {
    const { id } = await insertGrievance(medium, { createdAt: bound });
    const old = await inbound(id, new Date('2024-03-04T00:00:00Z'), true);
    expect(await partOf('inbound_events', old.id)).toBe('inbound_events_before');
    const repository = new InboundRepository(medium.prisma);
    const update = (eventId: string) => ({
      portalCode: 'UP-IGRS',
      dispatchId: randomUUID(),
      complaintId: id,
      via: 'push' as const,
      correlationId: 'partition-test',
      update: {
        eventId,
        externalRef: 'UP-REF-1',
        status: 'RESOLVED' as const,
        nativeStatus: 'Nistarit',
        occurredAt: new Date().toISOString(),
        raw: {},
      },
    });
    // The old event again, and a new one twice in one batch: only the new one is stored, once.
    const stored = await repository.insertNew([
      update(old.eventId),
      update('ev-new'),
      update('ev-new'),
    ]);
    expect([...stored]).toEqual(['ev-new']);
    const rows = await medium.prisma.$queryRaw<{ eventId: string; same: boolean }[]>`
      SELECT e.event_id AS "eventId", e.received_at = k.received_at AS same
      FROM inbound_events e JOIN inbound_event_keys k USING (portal_code, event_id)
      WHERE e.complaint_id = ${id}::uuid ORDER BY e.received_at`;
    expect(rows).toEqual([
      { eventId: old.eventId, same: true },
      { eventId: 'ev-new', same: true },
    ]);
    expect(await repository.insertNew([update('ev-new')])).toEqual(new Set());
    // Applied, as the status worker would (the retention test below drops this month).
    await medium.prisma.$executeRaw`
      UPDATE inbound_events SET processed_at = now() WHERE complaint_id = ${id}::uuid`;
  });

  it('drops whole months of status events past retention with their keys, never one holding an event not applied yet', async () => {
    const { id } = await insertGrievance(medium, { createdAt: bound });
    const old = await inbound(id, new Date('2024-01-02T00:00:00Z'), true);
    const pending = await inbound(id, new Date(bound.getTime() + 5 * DAY_MS), false);
    const recent = await inbound(id, new Date(monthStart(bound, 1).getTime() + DAY_MS), true);
    // Two months kept, run in the bound's fourth month: the cutoff is the second month's start.
    const now = new Date(monthStart(bound, 3).getTime() + 9 * DAY_MS);
    const inboundDropped = (r: { dropped: string[] }) =>
      r.dropped.filter((n) => n.startsWith('inbound_events'));

    // The bound's month holds an event not applied yet: it stays, and the run says so.
    await expect(maintenance(24, 2).run(now)).rejects.toThrow(
      new RegExp(`kept because they hold unfinished rows: inbound_events_p${month(0)}`),
    );
    expect(await partOf('inbound_events', old.id)).toBeUndefined();
    expect(await partOf('inbound_events', pending.id)).toBe(`inbound_events_p${month(0)}`);
    expect(await keyOf(old.eventId)).toBeUndefined();
    expect(await keyOf(pending.eventId)).toEqual(new Date(bound.getTime() + 5 * DAY_MS));

    // Applied, it goes with its month and its key; the next month and its key stay.
    await medium.prisma.$executeRaw`
      UPDATE inbound_events SET processed_at = now() WHERE id = ${pending.id}::uuid`;
    const report = await maintenance(24, 2).run(now);
    expect(inboundDropped(report)).toEqual([`inbound_events_p${month(0)}`]);
    expect(report.keysDeleted).toBe(1);
    expect(await keyOf(pending.eventId)).toBeUndefined();
    expect(await partOf('inbound_events', recent.id)).toBe(`inbound_events_p${month(1)}`);
    expect(await keyOf(recent.eventId)).toBeDefined();
    expect(inboundDropped(await maintenance(24, 2).run(now))).toEqual([]);
  });
});
