import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { SlaRollupService } from '../../src/sla/sla-rollup.service';
import { DAY_MS, insertGrievance, parseCsv, staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';

jest.setTimeout(60_000);

/**
 * The analyst's views (issue 17 §1): ageing and ministry groupings, the filters on every view,
 * breaches sorted, filtered and exported as shown, and the insights (month on month, ratings,
 * appeals, transfers). Hand-computed fixture.
 */
describe('SLA views for the analyst', () => {
  let hub: TestHub;
  let key: string;
  const now = Date.now();
  const ago = (days: number) => new Date(now - days * DAY_MS);
  const open: Record<string, string> = {};

  const event = (g: { id: string }, status: string, at: Date, source = 'portal:CPGRAMS') =>
    hub.prisma.$executeRaw`
      INSERT INTO status_events (id, complaint_id, status, source, portal_code, occurred_at)
      VALUES (${randomUUID()}::uuid, ${g.id}::uuid, ${status}::"ComplaintStatus", ${source},
        ${source.replace('portal:', '')}, ${at})`;

  beforeAll(async () => {
    hub = await startTestHub();
    key = await staffKey(hub, 'staff');
    const rail = {
      portal: 'CPGRAMS',
      category: 'RAILWAYS',
      ministryCode: 'MORLY',
      stateCode: '09',
    };
    // Open grievances, one per ageing bucket (days since received): 3, 10, 25, 40.
    for (const [bucket, days, due] of [
      ['0-7', 3, -18],
      ['8-21', 10, -11],
      ['22-30', 25, 4],
      ['31+', 40, 19],
    ] as const) {
      open[bucket] = (
        await insertGrievance(hub, { ...rail, createdAt: ago(days), slaDueAt: ago(due) })
      ).trackingId;
    }
    // Resolved railway grievances: in 2 days rated 5; in 6 days rated 1, appealed, upheld.
    await insertGrievance(hub, {
      ...rail,
      createdAt: ago(20),
      slaDueAt: ago(-1),
      resolvedAt: ago(18),
      feedbackRating: 5,
    });
    const appealed = await insertGrievance(hub, {
      ...rail,
      createdAt: ago(20),
      slaDueAt: ago(-1),
      resolvedAt: ago(14),
      feedbackRating: 1,
      appealedAt: ago(12),
    });
    await event(appealed, 'IN_PROGRESS', ago(5));
    // Telecom: resolved in 4 days, rated 4; appealed, no decision yet.
    await insertGrievance(hub, {
      portal: 'CPGRAMS',
      category: 'TELECOM',
      ministryCode: 'DOTEL',
      stateCode: '27',
      createdAt: ago(15),
      slaDueAt: ago(-6),
      resolvedAt: ago(11),
      feedbackRating: 4,
      appealedAt: ago(9),
    });
    // State subjects (no ministry) at UP-IGRS, Lucknow: one open past due, transferred once to
    // CPGRAMS and back; one resolved late in 12 days.
    const roads = { portal: 'UP-IGRS', category: 'ROADS', stateCode: '09', districtCode: '162' };
    const transferred = await insertGrievance(hub, {
      ...roads,
      createdAt: ago(12),
      slaDueAt: ago(5),
    });
    open.roads = transferred.trackingId;
    await event(transferred, 'TRANSFERRED', ago(11), 'portal:UP-IGRS');
    // As the lifecycle records the first transfer on the grievance (status-batch-plan.ts).
    await hub.prisma.complaint.update({
      where: { id: transferred.id },
      data: { transferredAt: ago(11) },
    });
    await insertGrievance(hub, {
      ...roads,
      createdAt: ago(14),
      slaDueAt: ago(7),
      resolvedAt: ago(2),
    });
    await hub.app.get(SlaRollupService).refresh();
  });
  afterAll(() => hub.close());

  const get = (path: string) => request(hub.url).get(path).set('Authorization', `Bearer ${key}`);
  const byKey = (groups: { key: string }[]) => Object.fromEntries(groups.map((g) => [g.key, g]));

  it('groups open grievances by age: 0–7, 8–21, 22–30, over 30 days', async () => {
    const res = await get('/api/v1/sla/summary?groupBy=ageing').expect(200);
    expect(
      res.body.groups.map((g: { key: string; open: number; openPastDue: number }) => [
        g.key,
        g.open,
        g.openPastDue,
      ]),
    ).toEqual([
      ['0-7', 1, 0],
      ['8-21', 2, 1], // the railway one (10 days) and the transferred road (12 days, past due)
      ['22-30', 1, 1],
      ['31+', 1, 1],
    ]);
    expect(res.body.groups[3].label).toEqual({ en: 'over 30 days', hi: '30 दिन से अधिक' });
    // Filtered to nothing, every bucket is still there, with none in it.
    const none = await get('/api/v1/sla/summary?groupBy=ageing&state=27').expect(200);
    expect(none.body.groups.map((g: { open: number }) => g.open)).toEqual([0, 0, 0, 0]);
  });

  it('groups by ministry, state subjects apart', async () => {
    const res = await get('/api/v1/sla/summary?groupBy=ministry').expect(200);
    const groups = byKey(res.body.groups);
    expect(Object.keys(groups).sort()).toEqual(['-', 'DOTEL', 'MORLY']);
    expect(groups.MORLY).toMatchObject({
      label: { en: 'Ministry of Railways (Railway Board)' },
      total: 6,
      open: 4,
      resolved: 2,
      openPastDue: 2,
      meanDaysToResolve: 4, // 2 and 6 days
      medianDaysToResolve: 4,
      appealRatePct: 50,
      meanFeedbackRating: 3,
    });
    expect(groups['-']).toMatchObject({ total: 2, open: 1, resolvedLate: 1 });
    expect(res.body.overall.total).toBe(9);
  });

  it('filters every grouping, and a filtered view reads the same figures as the rollup', async () => {
    const filtered = await get('/api/v1/sla/summary?groupBy=category&portal=UP-IGRS').expect(200);
    expect(filtered.body.filter).toEqual({ portal: 'UP-IGRS' });
    expect(filtered.body.groups.map((g: { key: string }) => g.key)).toEqual(['ROADS']);
    const rollup = await get('/api/v1/sla/summary?groupBy=portal').expect(200);
    for (const portal of ['CPGRAMS', 'UP-IGRS']) {
      const live = await get(`/api/v1/sla/summary?groupBy=portal&portal=${portal}`).expect(200);
      expect(live.body.groups).toEqual([byKey(rollup.body.groups)[portal]]);
    }
    const ministry = await get('/api/v1/sla/summary?groupBy=state&ministry=MORLY').expect(200);
    expect(ministry.body.overall.total).toBe(6);
    const stateSubjects = await get('/api/v1/sla/summary?groupBy=district&ministry=-').expect(200);
    expect(stateSubjects.body.groups.map((g: { key: string }) => g.key)).toEqual(['162']);
    const place = await get('/api/v1/sla/summary?groupBy=category&state=09&district=162');
    expect(place.body.overall.total).toBe(2);
    const csv = await get('/api/v1/sla/report.csv?groupBy=ministry&category=TELECOM').expect(200);
    expect(parseCsv(csv.text).map((r) => r[1])).toEqual(['key', 'DOTEL', 'ALL']);
  });

  it.each([
    ['portal=up-igrs', 'portal'],
    ['ministry=railways', 'ministry'],
    ['category=1ROADS', 'category'],
    ['district=12345', 'district'],
    ['state=UP', 'state'],
  ])('refuses the filter %s, naming it', async (query, path) => {
    for (const view of ['summary', 'report.csv', 'insights', 'breaches', 'breaches.csv']) {
      const res = await get(`/api/v1/sla/${view}?${query}`).expect(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
  });

  it('sorts, filters and pages breaches; the CSV holds exactly the page shown', async () => {
    const walk = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await get(
          `/api/v1/sla/breaches?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`,
        ).expect(200);
        seen.push(...res.body.items.map((i: { trackingId: string }) => i.trackingId));
        cursor = res.body.nextCursor;
      } while (cursor);
      return seen;
    };
    // Past due: 22-30 (due 4 days ago), 31+ (19 days ago), the road (5 days ago).
    expect(await walk('sort=due')).toEqual([open['31+'], open.roads, open['22-30']]);
    expect(await walk('sort=-due')).toEqual([open['22-30'], open.roads, open['31+']]);
    expect(await walk('sort=received')).toEqual([open['31+'], open['22-30'], open.roads]);
    expect(await walk('sort=-received')).toEqual([open.roads, open['22-30'], open['31+']]);
    expect(await walk('ministry=MORLY')).toEqual([open['31+'], open['22-30']]);
    expect(await walk('category=ROADS&district=162')).toEqual([open.roads]);
    const day = (d: Date) => new Date(d.getTime() + 5.5 * 3_600_000).toISOString().slice(0, 10);
    expect(await walk(`from=${day(ago(30))}&to=${day(ago(0))}`)).toEqual([
      open.roads,
      open['22-30'],
    ]);
    await get('/api/v1/sla/breaches?sort=overdue').expect(400);

    const first = await get('/api/v1/sla/breaches?limit=2&sort=-due').expect(200);
    const second = `limit=2&sort=-due&cursor=${first.body.nextCursor}`;
    const [page, csv] = await Promise.all([
      get(`/api/v1/sla/breaches?${second}`).expect(200),
      get(`/api/v1/sla/breaches.csv?${second}`)
        .expect(200)
        .expect('Content-Type', /text\/csv/),
    ]);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual([
      'tracking_id',
      'status',
      'portal',
      'reference',
      'state_code',
      'district_code',
      'category',
      'received_at',
      'due_at',
      'days_overdue',
    ]);
    expect(rows.map((r) => [r[0], r[2], r[8], Number(r[9])])).toEqual(
      page.body.items.map(
        (i: { trackingId: string; portalCode: string; slaDueAt: string; daysOverdue: number }) => [
          i.trackingId,
          i.portalCode,
          i.slaDueAt,
          i.daysOverdue,
        ],
      ),
    );
    expect(rows.map((r) => r[0])).toEqual([open['31+']]);
  });

  it('gives month on month, ratings, appeals and transfers for the filters', async () => {
    const res = await get('/api/v1/sla/insights').expect(200);
    expect(res.body.ratings).toEqual([
      { rating: 1, count: 1 },
      { rating: 2, count: 0 },
      { rating: 3, count: 0 },
      { rating: 4, count: 1 },
      { rating: 5, count: 1 },
    ]);
    expect(res.body.appeals).toEqual({
      appealed: 2,
      decided: 1,
      upheld: 1,
      pending: 1,
      pendingPastDue: 0,
    });
    expect(res.body.transfersByPortal).toEqual([
      { portal: 'UP-IGRS', name: expect.any(String), transfers: 1, grievances: 1 },
    ]);
    const months = res.body.monthly as { month: string; total: number; change: unknown }[];
    expect(months.reduce((n, m) => n + m.total, 0)).toBe(9);
    expect(months[0].change).toBeNull();
    for (let i = 1; i < months.length; i++)
      expect(months[i].change).toMatchObject({ total: months[i].total - months[i - 1].total });

    const railways = await get('/api/v1/sla/insights?ministry=MORLY').expect(200);
    expect(railways.body.appeals).toMatchObject({ appealed: 1, decided: 1, pending: 0 });
    expect(railways.body.transfersByPortal).toEqual([]);
    expect(railways.body.ratings.map((r: { count: number }) => r.count)).toEqual([1, 0, 0, 0, 1]);
  });
});
