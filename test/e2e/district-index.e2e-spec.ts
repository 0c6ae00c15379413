import request from 'supertest';
import { SlaRollupService } from '../../src/sla/sla-rollup.service';
import { insertGrievance, parseCsv, staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';

jest.setTimeout(60_000);

/**
 * The District Governance Index as staff get it: JSON and CSV per state and month, ranked, with
 * the change against the previous month (docs/governance-index.md).
 */
describe('District Governance Index API', () => {
  let hub: TestHub;
  let key: string;
  const ist = (local: string) => new Date(`${local}+05:30`);

  /** `n` grievances of a district received on `day`, disposed after `days` (deadline 7 days). */
  async function district(code: string, day: string, n: number, days: number | null) {
    for (let i = 0; i < n; i++) {
      const createdAt = ist(`${day}T10:00:00`);
      await insertGrievance(hub, {
        portal: 'UP-IGRS',
        stateCode: '09',
        districtCode: code,
        category: 'ROADS',
        createdAt,
        slaDueAt: new Date(createdAt.getTime() + 7 * 86_400_000),
        resolvedAt: days === null ? null : new Date(createdAt.getTime() + days * 86_400_000),
      });
    }
  }

  beforeAll(async () => {
    hub = await startTestHub();
    key = await staffKey(hub, 'staff');
    // September: Aligarh (119) fast, Agra (118) slow and late, Lucknow (162) in between.
    await district('119', '2026-09-10', 10, 1);
    await district('118', '2026-09-10', 10, 20);
    await district('162', '2026-09-10', 10, 5);
    // October: Agra fast, Aligarh slow and late; Lucknow as before; Araria (Bihar) not in UP;
    // Prayagraj (120) with too few grievances to rank.
    await district('118', '2026-10-10', 10, 1);
    await district('119', '2026-10-10', 10, 20);
    await district('162', '2026-10-10', 10, 5);
    await district('120', '2026-10-10', 3, 1);
    await insertGrievance(hub, {
      stateCode: '10',
      districtCode: '188',
      createdAt: ist('2026-10-10T10:00:00'),
    });
    // The counts per grievance come from the SLA rollup, as the refresh job keeps it.
    await hub.app.get(SlaRollupService).refresh();
  });
  afterAll(() => hub.close());

  const get = (path: string) => request(hub.url).get(path).set('Authorization', `Bearer ${key}`);

  it('ranks the districts of the state for the month, with the change since the month before', async () => {
    const res = await get('/api/v1/sla/district-index?state=09&month=2026-10').expect(200);
    expect(res.body).toMatchObject({
      state: { code: '09', name: 'Uttar Pradesh' },
      month: '2026-10',
      previousMonth: '2026-09',
      minGrievances: 10,
    });
    const ranked = res.body.districts.filter((d: { rank: number | null }) => d.rank !== null);
    expect(
      ranked.map((d: { key: string; rank: number; trend: { rankChange: number } }) => [
        d.key,
        d.rank,
        d.trend.rankChange,
      ]),
    ).toEqual([
      ['118', 1, 2],
      ['162', 2, 0],
      ['119', 3, -2],
    ]);
    expect(ranked[0]).toMatchObject({
      label: { en: 'Agra' },
      received: 10,
      score: 100,
      values: { disposalRate: 100, withinDeadline: 100, medianDaysToDispose: 1, repeatRate: 0 },
      // In September Agra was worst on deadline and days, but no district differed on appeals,
      // repeats and transfers (none): those count 1 for all, so (0.2 + 0.1 + 0.1 + 0.05) / 0.75.
      trend: { previousRank: 3, previousScore: 60, scoreChange: 40 },
    });
    expect(ranked[2]).toMatchObject({ score: 60, values: { withinDeadline: 0 } });
    const prayagraj = res.body.districts.find((d: { key: string }) => d.key === '120');
    expect(prayagraj).toMatchObject({ received: 3, score: null, unranked: 'too-few-grievances' });
    expect(res.body.districts.some((d: { key: string }) => d.key === '188')).toBe(false);
    expect(res.body.indicators.find((i: { id: string }) => i.id === 'repeatRate')).toMatchObject({
      measured: true,
      better: 'lower',
    });
  });

  it('exports exactly the JSON rows as CSV', async () => {
    const json = await get('/api/v1/sla/district-index?state=09&month=2026-10').expect(200);
    const csv = await get('/api/v1/sla/district-index.csv?state=09&month=2026-10').expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('district-index.csv');
    const [header, ...rows] = parseCsv(csv.text);
    expect(header.slice(0, 8)).toEqual([
      'state_code',
      'month',
      'rank',
      'district_code',
      'district',
      'received',
      'score',
      'disposal_rate',
    ]);
    const num = (v: string) => (v === '' ? null : Number(v));
    expect(
      rows.map((r) => [
        r[3],
        num(r[2]),
        num(r[6]),
        num(r[7]),
        num(r[header.indexOf('rank_change')]),
      ]),
    ).toEqual(
      json.body.districts.map(
        (d: {
          key: string;
          rank: number | null;
          score: number | null;
          values: { disposalRate: number | null };
          trend: { rankChange: number | null };
        }) => [d.key, d.rank, d.score, d.values.disposalRate, d.trend.rankChange],
      ),
    );
  });

  it.each([
    ['month=2026-13&state=09', 'month'],
    ['month=2026-10', 'state'],
    ['state=9&month=2026-10', 'state'],
    ['state=99&month=2026-10', 'state'],
  ])('refuses %s, naming %s', async (query, path) => {
    const res = await get(`/api/v1/sla/district-index?${query}`).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
  });

  it('is for staff only', async () => {
    await request(hub.url).get('/api/v1/sla/district-index?state=09').expect(401);
  });
});
