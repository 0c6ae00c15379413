import request from 'supertest';
import { SlaRollupService } from '../../src/sla/sla-rollup.service';
import { DAY_MS, insertGrievance, parseCsv, staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';

// The project's testTimeout does not reach these tests (Jest 30 reads it globally only).
jest.setTimeout(60_000);

describe('SLA views: summary, CSV, breaches', () => {
  let hub: TestHub;
  let key: string;
  let openEducation: string;
  let openHealth: string;
  const now = Date.now();
  const ago = (days: number) => new Date(now - days * DAY_MS);

  beforeAll(async () => {
    hub = await startTestHub();
    key = await staffKey(hub, 'staff');
    // Hand-computed fixture, see the expectations below. EDUCATION (CPGRAMS):
    const edu = { category: 'EDUCATION', portal: 'CPGRAMS', stateCode: '10' };
    await insertGrievance(hub, {
      ...edu,
      createdAt: ago(30),
      slaDueAt: ago(9),
      resolvedAt: ago(25),
      feedbackRating: 5,
    });
    await insertGrievance(hub, {
      ...edu,
      createdAt: ago(30),
      slaDueAt: ago(9),
      resolvedAt: ago(5),
      feedbackRating: 2,
      appealedAt: ago(3),
    });
    openEducation = (await insertGrievance(hub, { ...edu, createdAt: ago(30), slaDueAt: ago(9) }))
      .trackingId;
    await insertGrievance(hub, { ...edu, createdAt: ago(2), slaDueAt: ago(-19) });
    await insertGrievance(hub, {
      ...edu,
      createdAt: ago(20),
      slaDueAt: ago(-1),
      resolvedAt: ago(17),
    });
    // HEALTH (UP-IGRS):
    const health = { category: 'HEALTH', portal: 'UP-IGRS', stateCode: '09', districtCode: '162' };
    await insertGrievance(hub, {
      ...health,
      createdAt: ago(10),
      slaDueAt: ago(3),
      resolvedAt: ago(8),
      feedbackRating: 4,
    });
    openHealth = (await insertGrievance(hub, { ...health, createdAt: ago(10), slaDueAt: ago(3) }))
      .trackingId;
    // Two districts of UP: Agra (118) always on time, Aligarh (119) always late.
    const roads = { category: 'ROADS', portal: 'UP-IGRS', stateCode: '09' };
    for (let i = 0; i < 3; i++) {
      await insertGrievance(hub, {
        ...roads,
        districtCode: '118',
        createdAt: ago(20),
        slaDueAt: ago(13),
        resolvedAt: ago(18),
        feedbackRating: 5,
      });
      await insertGrievance(hub, {
        ...roads,
        districtCode: '119',
        createdAt: ago(20),
        slaDueAt: ago(13),
        resolvedAt: ago(2),
        feedbackRating: 1,
      });
    }
    await hub.app.get(SlaRollupService).refresh();
  });
  afterAll(() => hub.close());

  const get = (path: string) => request(hub.url).get(path).set('Authorization', `Bearer ${key}`);

  it('summarises by category exactly as computed by hand', async () => {
    const res = await get('/api/v1/sla/summary?groupBy=category').expect(200);
    const byKey = Object.fromEntries(res.body.groups.map((g: { key: string }) => [g.key, g]));
    expect(byKey.EDUCATION).toMatchObject({
      total: 5,
      open: 2,
      resolved: 3,
      breached: 2,
      openPastDue: 1,
      resolvedLate: 1,
      withinSlaPct: 50,
      medianDaysToResolve: 5,
      p90DaysToResolve: 21,
      appealRatePct: 33.3,
      meanFeedbackRating: 3.5,
      label: { en: expect.any(String), hi: expect.any(String) },
    });
    expect(byKey.HEALTH).toMatchObject({
      total: 2,
      open: 1,
      resolved: 1,
      breached: 1,
      withinSlaPct: 50,
      medianDaysToResolve: 2,
      p90DaysToResolve: 2,
      appealRatePct: 0,
      meanFeedbackRating: 4,
    });
    expect(res.body.overall.total).toBe(13);
  });

  it('gives the same overall figures whatever the grouping', async () => {
    const overall = await Promise.all(
      ['portal', 'state', 'district', 'category'].map(
        async (g) => (await get(`/api/v1/sla/summary?groupBy=${g}`).expect(200)).body.overall,
      ),
    );
    expect(overall[0]).toMatchObject({ total: 13, openPastDue: expect.any(Number) });
    for (const o of overall.slice(1)) expect(o).toEqual(overall[0]);
  });

  it('limits the summary to the grievances received in the date range', async () => {
    const day = (d: Date) => new Date(d.getTime() + 5.5 * 3_600_000).toISOString().slice(0, 10);
    const res = await get(
      `/api/v1/sla/summary?groupBy=portal&from=${day(ago(11))}&to=${day(ago(0))}`,
    ).expect(200);
    expect(res.body.overall.total).toBe(3); // the two HEALTH grievances and one recent EDUCATION
    await get('/api/v1/sla/summary?from=2025-02-30').expect(400);
    await get('/api/v1/sla/summary?groupBy=department').expect(400);
  });

  it('serves the same figures as CSV', async () => {
    const [json, csv] = await Promise.all([
      get('/api/v1/sla/summary?groupBy=category').expect(200),
      get('/api/v1/sla/report.csv?groupBy=category')
        .expect(200)
        .expect('Content-Type', /text\/csv/),
    ]);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual([
      'group_by',
      'key',
      'label',
      'total',
      'open',
      'resolved',
      'breached',
      'within_sla_pct',
      'mean_days_to_resolve',
      'median_days_to_resolve',
      'p90_days_to_resolve',
      'appeal_rate_pct',
      'mean_feedback_rating',
    ]);
    const fields = [
      'total',
      'open',
      'resolved',
      'breached',
      'withinSlaPct',
      'meanDaysToResolve',
      'medianDaysToResolve',
      'p90DaysToResolve',
      'appealRatePct',
      'meanFeedbackRating',
    ];
    const fromCsv = rows.map((r) => [
      r[1],
      ...r.slice(3).map((v) => (v === '' ? null : Number(v))),
    ]);
    const fromJson = [...json.body.groups, { ...json.body.overall, key: 'ALL' }].map((g) => [
      g.key,
      ...fields.map((f) => g[f]),
    ]);
    expect(fromCsv).toEqual(fromJson);
  });

  it('lists overdue grievances oldest deadline first, page by page', async () => {
    const seen: { slaDueAt: string; trackingId: string }[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await get(
        `/api/v1/sla/breaches?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      ).expect(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.map((s) => s.trackingId)).toEqual([openEducation, openHealth]); // the open ones past due
    expect(new Set(seen.map((s) => s.trackingId)).size).toBe(seen.length);
    const dues = seen.map((s) => Date.parse(s.slaDueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    const upOnly = await get('/api/v1/sla/breaches?portal=UP-IGRS').expect(200);
    expect(upOnly.body.items.every((i: { portalCode: string }) => i.portalCode === 'UP-IGRS')).toBe(
      true,
    );
  });

  it.each(['0', '501', '2.5', 'ten'])(
    'refuses a page limit of %s, naming the field',
    async (limit) => {
      const res = await get(`/api/v1/sla/breaches?limit=${limit}`).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(new Set(res.body.errors.map((e: { path: string }) => e.path))).toEqual(
        new Set(['limit']),
      );
    },
  );
});
