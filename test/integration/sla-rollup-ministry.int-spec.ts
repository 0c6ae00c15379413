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
  let repository: SlaRollupRepository;
  let warn: jest.SpyInstance;

  const ist = (local: string) => new Date(`${local}+05:30`);
  const DAY = 86_400_000;
  const instants = (r: { from: string; to: string }): [Date, Date] => [
    ist(`${r.from}T00:00:00`),
    new Date(ist(`${r.to}T00:00:00`).getTime() + DAY),
  ];

  beforeAll(async () => {
    const reads = new ReadDatabase(medium.prisma, false);
    repository = new SlaRollupRepository(medium.prisma, reads, medium.config);
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
    expect(source(groupBy, filter, true)).toBe('filters');
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

  // The filters rollup without a district, the districts rollup with one.
  it.each([
    [{}, 'filters'],
    [{ state: '09' }, 'filters'],
    [{ category: 'ROADS', ministry: '-' }, 'filters'],
    [{ portal: 'CPGRAMS' }, 'filters'],
    [{ district: '162' }, 'districts'],
    [{ state: '09', district: '118', category: 'ROADS' }, 'districts'],
  ] as [GrievanceFilter, string][])(
    'insights %o: month by month and ratings from the %s rollup equal the live reads',
    async (filter) => {
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
      expect(source('district', filter, true)).toBe('rollup');
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

  it('reads ageing live, and a district with another filter live until the districts rollup is built', async () => {
    expect(source('ageing', {}, true)).toBe('live');
    expect(source('district', { ministry: 'MORLY' }, true)).toBe('rollup');
    expect(source('district', { state: '09', category: 'ROADS' }, true)).toBe('districts');
    expect(source('district', { portal: 'CPGRAMS' }, true)).toBe('districts');
    expect(source('state', { district: '162' }, true)).toBe('districts');
    expect(source('district', { state: '09', category: 'ROADS' }, false)).toBe('live');
    expect(source('state', { district: '162' }, false)).toBe('live');
  });

  // A district with another filter, or grouped by district with one: the districts rollup
  // (whole months) and the days at the edges read live.
  const districtOthers: [GroupBy, GrievanceFilter][] = [
    ['district', { state: '09', category: 'ROADS' }],
    ['district', { portal: 'CPGRAMS' }],
    ['district', { state: '09', portal: 'UP-IGRS', ministry: '-' }],
    ['portal', { district: '162' }],
    ['category', { state: '09', district: '118' }],
    ['ministry', { district: '119', category: 'RAILWAYS' }],
    ['state', { district: '162', portal: 'UP-IGRS' }],
  ];
  it.each(
    districtOthers.flatMap(([groupBy, filter]) =>
      ranges.map((range) => [groupBy, filter, range] as const),
    ),
  )('districts rollup: by %s, %o, %o', async (groupBy, filter, range) => {
    expect(source(groupBy, filter, true)).toBe('districts');
    const summary = await views.summary(groupBy, range, filter);
    expect(summary.asOf).toBe((await rollupRefreshedAt())?.toISOString());
    const expected = await liveGroups(groupBy, range, filter);
    expect(summary.groups.map(({ label: _label, ...g }) => g)).toEqual(expected);
    expect(expected.reduce((n, g) => n + g.total, 0)).toBe(summary.overall.total);
  });

  it('districts rollup: the cases are not of empty tables, nor of whole months only', async () => {
    const all = { from: '2000-01-01', to: '2026-11-26' };
    const totals = await Promise.all(
      districtOthers.map(async ([g, f]) => (await views.summary(g, all, f)).overall.total),
    );
    expect(totals.every((n) => n > 0)).toBe(true);
    // The range with partial months at both ends has grievances in those days.
    const edges = await live.sums('all', ...instants({ from: '2026-07-20', to: '2026-07-31' }), {
      state: '09',
    });
    expect(edges[0]?.total ?? 0).toBeGreaterThan(0);
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

  it('keeps the districts rollup current: a grievance, a resolution in an earlier month', async () => {
    const all = { from: '2000-01-01', to: '2026-11-26' };
    const filter = { state: '09', category: 'HEALTH' };
    const before = await views.summary('district', all, filter);
    await insertGrievance(medium, {
      portal: 'UP-IGRS',
      stateCode: '09',
      districtCode: '162',
      category: 'HEALTH',
      createdAt: ist('2026-10-20T10:00:00'),
      slaDueAt: ist('2026-10-25T10:00:00'),
    });
    const resolved = await medium.prisma.$executeRaw`
      UPDATE complaints SET resolved_at = created_at + interval '2 days', updated_at = now()
      WHERE id = (SELECT id FROM complaints WHERE state_code = '09' AND category = 'HEALTH'
        AND resolved_at IS NULL AND created_at < ${ist('2026-09-01T00:00:00')}
        ORDER BY created_at LIMIT 1)`;
    expect(resolved).toBe(1);
    expect((await views.summary('district', all, filter)).overall).toEqual(before.overall);
    await rollup.refresh();
    const after = await views.summary('district', all, filter);
    expect(after.overall.total).toBe(before.overall.total + 1);
    expect(after.overall.resolved).toBe(before.overall.resolved + 1);
    expect(after.groups.map(({ label: _label, ...g }) => g)).toEqual(
      await liveGroups('district', all, filter),
    );
  });

  it('catches the districts rollup up after an older hub refreshed the others without it', async () => {
    const all = { from: '2000-01-01', to: '2026-11-26' };
    const filter = { state: '09', district: '118', category: 'TELECOM' };
    const before = await views.summary('portal', all, filter);
    await insertGrievance(medium, {
      portal: 'UP-IGRS',
      stateCode: '09',
      districtCode: '118',
      category: 'TELECOM',
      ministryCode: 'DOTEL',
      createdAt: ist('2026-08-14T10:00:00'),
      slaDueAt: ist('2026-08-20T10:00:00'),
    });
    // What an older hub's refresh does: the day and month rows of sla_rollup and the filters
    // rollup, and its watermark only (it does not know the districts rollup). The watermark is
    // put past the grievance's change (not 5 minutes back, as the refresh does, which would
    // find it again anyway).
    await repository.exclusive(async (tx) => {
      const state = await repository.watermark(tx);
      const days = await repository.dirtyDays(tx, state!.watermark);
      expect(days).toContain('2026-08-14');
      await repository.rebuildDays(tx, days);
      await repository.rebuildMonths(tx, [...new Set(days.map((d) => `${d.slice(0, 7)}-01`))]);
      await tx.$executeRaw`UPDATE sla_rollup_state
        SET watermark = clock_timestamp(), refreshed_at = now() WHERE id = 1`;
    });
    expect((await views.summary('portal', all, filter)).overall.total).toBe(before.overall.total);
    // This version's next refresh finds nothing new since `watermark`, but the districts
    // rollup's own watermark is older.
    await rollup.refresh();
    const after = await views.summary('portal', all, filter);
    expect(after.overall.total).toBe(before.overall.total + 1);
    expect(after.groups.map(({ label: _label, ...g }) => g)).toEqual(
      await liveGroups('portal', all, filter),
    );
  });

  it('builds the districts rollup on the first refresh of a database that had the others', async () => {
    const all = { from: '2000-01-01', to: '2026-11-26' };
    const filter = { state: '09', category: 'ROADS' };
    const expected = await liveGroups('district', all, filter);
    // As the migration leaves an existing database: the others built, this one empty.
    await medium.prisma.$executeRaw`TRUNCATE sla_rollup_districts`;
    await medium.prisma.$executeRaw`UPDATE sla_rollup_state SET districts_watermark = NULL`;
    const meanwhile = await views.summary('district', all, filter);
    // Read live meanwhile: right figures, as of the read.
    expect(meanwhile.groups.map(({ label: _label, ...g }) => g)).toEqual(expected);
    expect(meanwhile.asOf).not.toBe((await rollupRefreshedAt())?.toISOString());
    await rollup.refresh();
    expect(
      await medium.prisma.$queryRaw`SELECT count(*)::int AS n FROM sla_rollup_districts`,
    ).not.toEqual([{ n: 0 }]);
    const built = await views.summary('district', all, filter);
    expect(built.asOf).toBe((await rollupRefreshedAt())?.toISOString());
    expect(built.groups.map(({ label: _label, ...g }) => g)).toEqual(expected);
  });

  async function rollupRefreshedAt() {
    const [row] = await medium.prisma.$queryRaw<{ refreshed_at: Date }[]>`
      SELECT refreshed_at FROM sla_rollup_state WHERE id = 1`;
    return row?.refreshed_at ?? null;
  }
});
