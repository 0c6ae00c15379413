import { Logger } from '@nestjs/common';
import { ReadDatabase } from '../../src/platform/database/read-database';
import type { GroupBy } from '../../src/sla/dto/sla-queries.dto';
import { SlaLiveRepository } from '../../src/sla/sla-live.repository';
import { slaFigures } from '../../src/sla/sla-figures';
import { SlaRollupRepository } from '../../src/sla/sla-rollup.repository';
import { SlaRollupService } from '../../src/sla/sla-rollup.service';
import { SlaViewsService } from '../../src/sla/sla-views.service';
import { useMedium } from '../support/medium';
import { insertGrievance } from '../support/staff-fixtures';

/**
 * Medium tier: the SLA rollup's ministry breakdown (issue 17) on a private database. The figures
 * the views read from the rollup, by every grouping and ministry filter, equal the figures read
 * live from `complaints` for the same grievances.
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

  /** The live figures of a grouping and ministry, presented as the summary presents them. */
  async function liveGroups(
    groupBy: GroupBy,
    range: { from: string; to: string },
    ministry?: string,
  ) {
    const sums = await live.sums(
      groupBy as Exclude<GroupBy, 'ageing'>,
      ...instants(range),
      ministry ? { ministry } : {},
    );
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
});
