import { Logger } from '@nestjs/common';
import { ReadDatabase } from '../../src/platform/database/read-database';
import type { GroupBy } from '../../src/sla/dto/sla-queries.dto';
import { SlaLiveRepository } from '../../src/sla/sla-live.repository';
import { slaFigures } from '../../src/sla/sla-figures';
import { SlaRollupRepository } from '../../src/sla/sla-rollup.repository';
import { SlaRollupService } from '../../src/sla/sla-rollup.service';
import { SlaViewsService, source } from '../../src/sla/sla-views.service';
import type { GrievanceFilter } from '../../src/sla/grievance-list';
import { useMedium } from '../support/medium';
import { insertGrievance } from '../support/staff-fixtures';

/**
 * Medium tier: the SLA rollup's ministry breakdown (issue 17) and the filters rollup (issues 16
 * §2 and 17) on a private database. The figures the views read from either rollup, by every
 * grouping and filter they answer, equal the figures read live from `complaints` for the same
 * grievances.
 */
describe('SLA rollup by ministry: the same figures as the live reads', () => {
  const medium = useMedium();
  let views: SlaViewsService;
  let live: SlaLiveRepository;
  let rollup: SlaRollupService;
  let warn: jest.SpyInstance;

  const ist = (local: string) => new Date(`${local}+05:30`);
  const DAY = 86_400_000;
  const instants = (r: { from: string; to: string }): [Date, Date] => [
    ist(`${r.from}T00:00:00`),
    new Date(ist(`${r.to}T00:00:00`).getTime() + DAY),
  ];

  beforeAll(async () => {
    const reads = new ReadDatabase(medium.prisma, false);
    const repository = new SlaRollupRepository(medium.prisma, reads, medium.config);
    live = new SlaLiveRepository(medium.prisma, medium.config);
    views = new SlaViewsService(medium.config, repository, live);
    rollup = new SlaRollupService(repository);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    // A deterministic spread over July–October 2026: portals, places, categories, ministries
    // (state subjects without one), resolved on time or late, open past due, rated, appealed.
    const places = [
      { portal: 'UP-IGRS', stateCode: '09', districtCode: '118' },
      { portal: 'UP-IGRS', stateCode: '09', districtCode: '162' },
      { portal: 'CPGRAMS', stateCode: '09', districtCode: '119' },
      { portal: 'CPGRAMS', stateCode: '10', districtCode: null },
    ];
    const subjects = [
      { category: 'RAILWAYS', ministryCode: 'MORLY' },
      { category: 'TELECOM', ministryCode: 'DOTEL' },
      { category: 'ROADS', ministryCode: null },
      { category: 'HEALTH', ministryCode: null },
    ];
    for (let i = 0; i < 96; i++) {
      const received =
        ist('2026-07-03T10:00:00').getTime() + ((i * 37) % 115) * DAY + i * 3_600_000;
      const due = received + ((i % 5) + 3) * DAY;
      const resolved = i % 3 === 0 ? null : received + ((i * 7) % 13) * DAY + 60_000;
      await insertGrievance(medium, {
        ...places[i % 4],
        ...subjects[(i >> 2) % 4],
        createdAt: new Date(received),
        slaDueAt: new Date(due),
        resolvedAt: resolved === null ? null : new Date(resolved),
        feedbackRating: resolved !== null && i % 4 === 1 ? (i % 5) + 1 : null,
        appealedAt: resolved !== null && i % 6 === 2 ? new Date(resolved + DAY) : null,
      });
    }
    // Bad rows: a ministry stored as '' (a state subject, never the rollup's "every ministry"
    // row), and a district of another state (left out of every figure, and logged).
    await insertGrievance(medium, {
      portal: 'CPGRAMS',
      stateCode: '10',
      category: 'ROADS',
      ministryCode: '',
      createdAt: ist('2026-09-10T10:00:00'),
      slaDueAt: ist('2026-09-12T10:00:00'),
    });
    await insertGrievance(medium, {
      portal: 'CPGRAMS',
      stateCode: '10',
      districtCode: '118',
      category: 'RAILWAYS',
      ministryCode: 'MORLY',
      createdAt: ist('2026-09-11T10:00:00'),
      slaDueAt: ist('2026-09-13T10:00:00'),
    });
    await rollup.rebuild();
  });
  afterAll(() => warn.mockRestore());

  /** The live figures of a grouping and filter, presented as the summary presents them. */
  async function liveGroups(
    groupBy: GroupBy,
    range: { from: string; to: string },
    ministry?: string | GrievanceFilter,
  ) {
    const filter = typeof ministry === 'string' ? { ministry } : (ministry ?? {});
    const sums = await live.sums(groupBy as Exclude<GroupBy, 'ageing'>, ...instants(range), filter);
    return sums
      .sort((a, b) => a.stateCode.localeCompare(b.stateCode) || a.key.localeCompare(b.key))
      .map((g) => ({
        key: g.key,
        ...(groupBy === 'district' ? { stateCode: g.stateCode } : {}),
        ...slaFigures(g),
      }));
  }

  const ranges = [
    { from: '2000-01-01', to: '2026-11-26' }, // whole months only (and the current one)
    { from: '2026-07-20', to: '2026-09-05' }, // days at both ends, August whole
    { from: '2026-08-03', to: '2026-08-03' }, // one day
  ];
  const cases = (['portal', 'state', 'district', 'category', 'ministry'] as const).flatMap(
    (groupBy) =>
      [undefined, 'MORLY', 'DOTEL', '-'].flatMap((ministry) =>
        ranges.map((range) => [groupBy, ministry ?? 'every', range] as const),
      ),
  );

  it.each(cases)('by %s, ministry %s, %o', async (groupBy, ministry, range) => {
    const filter = ministry === 'every' ? {} : { ministry };
    const summary = await views.summary(groupBy, range, filter);
    // Served from the rollup: as of its refresh, not of the read.
    expect(summary.asOf).not.toBeNull();
    const expected = await liveGroups(groupBy, range, filter.ministry);
    expect(summary.groups.map(({ label: _label, ...g }) => g)).toEqual(expected);
    expect(expected.reduce((n, g) => n + g.total, 0)).toBe(summary.overall.total);
  });

  // Filters on portal, state, category and ministry, alone and together: the filters rollup.
  const filters: GrievanceFilter[] = [
    { state: '09' },
    { portal: 'CPGRAMS' },
    { category: 'ROADS' },
    { portal: 'UP-IGRS', state: '09' },
    { state: '09', ministry: '-' },
    { portal: 'CPGRAMS', category: 'RAILWAYS', ministry: 'MORLY' },
    { state: '10', category: 'TELECOM' },
  ];
  const filtered = (['portal', 'state', 'category', 'ministry'] as const).flatMap((groupBy) =>
    filters.flatMap((filter) => ranges.map((range) => [groupBy, filter, range] as const)),
  );

  it.each(filtered)('filters rollup: by %s, %o, %o', async (groupBy, filter, range) => {
    expect(source(groupBy, filter)).toBe('filters');
    const summary = await views.summary(groupBy, range, filter);
    // From the rollup (as of its refresh), not read live.
    expect(summary.asOf).toBe((await rollupRefreshedAt())?.toISOString());
    const expected = await liveGroups(groupBy, range, filter);
    expect(summary.groups.map(({ label: _label, ...g }) => g)).toEqual(expected);
    expect(expected.reduce((n, g) => n + g.total, 0)).toBe(summary.overall.total);
  });

  it('filters rollup: the filtered cases are not of empty tables', async () => {
    const all = { from: '2000-01-01', to: '2026-11-26' };
    const totals = await Promise.all(
      filters.map(async (f) => (await views.summary('state', all, f)).overall.total),
    );
    expect(totals).toEqual([72, 49, 25, 48, 36, 12, 6]);
    const rated = (await views.insights(all, { state: '09' })).ratings;
    expect(rated.reduce((n, r) => n + r.count, 0)).toBeGreaterThan(0);
  });

  it.each([{}, { state: '09' }, { category: 'ROADS', ministry: '-' }, { portal: 'CPGRAMS' }])(
    'insights %o: month by month and ratings from the filters rollup equal the live reads',
    async (filter: GrievanceFilter) => {
      for (const range of ranges) {
        const insights = await views.insights(range, filter);
        expect(insights.asOf).toBe((await rollupRefreshedAt())?.toISOString());
        const months = await live.sums('month', ...instants(range), filter);
        expect(insights.monthly.map(({ change: _change, ...m }) => m)).toEqual(
          months
            .sort((a, b) => a.key.localeCompare(b.key))
            .map((m) => ({ month: m.key, ...slaFigures(m) })),
        );
        const rated = await live.ratings(...instants(range), filter);
        expect(insights.ratings).toEqual(
          [1, 2, 3, 4, 5].map((rating) => ({
            rating,
            count: rated.find((r) => r.rating === rating)?.n ?? 0,
          })),
        );
      }
      expect((await views.insights(ranges[0], filter)).monthly.length).toBeGreaterThan(0);
    },
  );

  // Districts of one state, or one district (with a ministry or not): the district rows.
  const districtFilters: GrievanceFilter[] = [
    { state: '09' },
    { state: '09', ministry: 'MORLY' },
    { state: '10', ministry: '-' },
    { district: '162' },
    { state: '09', district: '118', ministry: '-' },
  ];
  it.each(districtFilters.flatMap((filter) => ranges.map((range) => [filter, range] as const)))(
    'district rows: by district, %o, %o',
    async (filter, range) => {
      expect(source('district', filter)).toBe('rollup');
      const summary = await views.summary('district', range, filter);
      expect(summary.asOf).toBe((await rollupRefreshedAt())?.toISOString());
      const expected = await liveGroups('district', range, filter);
      expect(summary.groups.map(({ label: _label, ...g }) => g)).toEqual(expected);
      expect(expected.reduce((n, g) => n + g.total, 0)).toBe(summary.overall.total);
    },
  );

  it('district rows: the district cases are not of empty tables', async () => {
    const all = { from: '2000-01-01', to: '2026-11-26' };
    const totals = await Promise.all(
      districtFilters.map(async (f) => (await views.summary('district', all, f)).overall.total),
    );
    expect(totals.every((n) => n > 0)).toBe(true);
  });

  it('reads a district with another filter, and ageing, live', async () => {
    expect(source('district', { state: '09', category: 'ROADS' })).toBe('live');
    expect(source('district', { portal: 'CPGRAMS' })).toBe('live');
    expect(source('state', { district: '162' })).toBe('live');
    expect(source('ageing', {})).toBe('live');
    expect(source('district', { ministry: 'MORLY' })).toBe('rollup');
    const all = { from: '2000-01-01', to: '2026-11-26' };
    const summary = await views.summary('district', all, { state: '09', category: 'ROADS' });
    expect(summary.groups.map(({ label: _label, ...g }) => g)).toEqual(
      await liveGroups('district', all, { state: '09', category: 'ROADS' }),
    );
    expect(summary.overall.total).toBeGreaterThan(0);
  });

  it('has grievances in each ministry case (the comparison is not of empty tables)', async () => {
    const all = { from: '2000-01-01', to: '2026-11-26' };
    const byMinistry = await views.summary('ministry', all);
    expect(byMinistry.groups.map((g) => [g.key, g.total])).toEqual([
      ['-', 49], // 48 state subjects, and the one stored with ministry ''
      ['DOTEL', 24],
      ['MORLY', 24], // the district of another state is left out
    ]);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ count: 1 }),
      expect.stringContaining('left out'),
    );
  });

  it('reads a ministry view from the rollup: a new grievance counts after the refresh', async () => {
    const all = { from: '2000-01-01', to: '2026-11-26' };
    const before = await views.summary('state', all, { ministry: 'DOTEL' });
    await insertGrievance(medium, {
      portal: 'CPGRAMS',
      stateCode: '10',
      category: 'TELECOM',
      ministryCode: 'DOTEL',
      createdAt: ist('2026-10-01T10:00:00'),
      resolvedAt: ist('2026-10-02T10:00:00'),
      slaDueAt: ist('2026-10-05T10:00:00'),
    });
    const stale = await views.summary('state', all, { ministry: 'DOTEL' });
    expect(stale.overall.total).toBe(before.overall.total);
    await rollup.refresh();
    const after = await views.summary('state', all, { ministry: 'DOTEL' });
    expect(after.overall.total).toBe(before.overall.total + 1);
    expect(after.groups.map(({ label: _label, ...g }) => g)).toEqual(
      await liveGroups('state', all, 'DOTEL'),
    );
  });

  it('keeps the filters rollup current: a new grievance and a resolution count after the refresh', async () => {
    const all = { from: '2000-01-01', to: '2026-11-26' };
    const filter = { portal: 'CPGRAMS', state: '10' };
    const before = await views.summary('category', all, filter);
    await insertGrievance(medium, {
      portal: 'CPGRAMS',
      stateCode: '10',
      category: 'TELECOM',
      ministryCode: 'DOTEL',
      createdAt: ist('2026-10-03T10:00:00'),
      slaDueAt: ist('2026-10-05T10:00:00'),
    });
    // A grievance of the filter resolved after the rollup was built (every writer of complaints
    // sets updated_at: the refresh finds its day by it).
    const resolved = await medium.prisma.$executeRaw`
      UPDATE complaints SET resolved_at = created_at + interval '2 days', updated_at = now()
      WHERE id = (SELECT id FROM complaints WHERE primary_portal_code = 'CPGRAMS'
        AND state_code = '10' AND resolved_at IS NULL AND district_code IS NULL
        ORDER BY created_at LIMIT 1)`;
    expect(resolved).toBe(1);
    expect((await views.summary('category', all, filter)).overall).toEqual(before.overall);
    await rollup.refresh();
    const after = await views.summary('category', all, filter);
    expect(after.overall.total).toBe(before.overall.total + 1);
    expect(after.overall.resolved).toBe(before.overall.resolved + 1);
    expect(after.groups.map(({ label: _label, ...g }) => g)).toEqual(
      await liveGroups('category', all, filter),
    );
  });

  async function rollupRefreshedAt() {
    const [row] = await medium.prisma.$queryRaw<{ refreshed_at: Date }[]>`
      SELECT refreshed_at FROM sla_rollup_state WHERE id = 1`;
    return row?.refreshed_at ?? null;
  }
});
