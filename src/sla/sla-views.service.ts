import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import { portalName, type HubConfig } from '../platform/config/hub-config';
import { ValidationFailedError } from '../platform/errors/domain-error';
import type { GroupBy } from './dto/sla-queries.dto';
import { staleSince } from './rollup-freshness';
import { rollupSlices, type DateRange } from './rollup-range';
import { istDate, istDays } from './sla-calendar';
import { addSums, emptySums, slaFigures, type GroupSums, type SlaFigures } from './sla-figures';
import { AGEING_BUCKETS, groupLabel, type Label } from './sla-labels';
import type { GrievanceFilter } from './grievance-list';
import { SlaLiveRepository } from './sla-live.repository';
import {
  SlaRollupRepository,
  type Dimension,
  type DistrictGrouping,
  type FilterGrouping,
  type RollupRow,
} from './sla-rollup.repository';

export interface GroupFigures extends SlaFigures {
  key: string;
  label: Label;
  stateCode?: string;
}

export interface Summary {
  groupBy: GroupBy;
  from: string;
  to: string;
  /** The filters applied (those given). */
  filter: GrievanceFilter;
  /** When the rollup was last refreshed; open-past-due counts are live. */
  asOf: string | null;
  /** asOf, once the rollup has missed its refreshes (rollup-freshness.ts); else null. */
  staleSince: string | null;
  overall: SlaFigures;
  groups: GroupFigures[];
}

const ALL_TIME_FROM = '2000-01-01';

/** One group's sums, with its key and the state it lies in ('' where the grouping has none). */
type Group = GroupSums & { key: string; stateCode: string };

/** The staff figures: rollup rows for the range, plus the live count of open grievances past due. */
@Injectable()
export class SlaViewsService {
  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly rollup: SlaRollupRepository,
    private readonly live: SlaLiveRepository,
  ) {}

  range(q: { from?: string; to?: string }): DateRange {
    const range = { from: q.from ?? ALL_TIME_FROM, to: q.to ?? istDate(new Date()) };
    if (range.from > range.to)
      throw new ValidationFailedError([{ path: 'from', message: 'from must not be after to' }]);
    return range;
  }

  /**
   * Figures per group, from the rollup that answers the grouping and filters (`source`); ageing
   * is read live (docs/sla.md).
   */
  async summary(
    groupBy: GroupBy,
    range: DateRange,
    filter: GrievanceFilter = {},
  ): Promise<Summary> {
    // The rollup's state is read beside the view; waited for first only when the source depends
    // on it (a district view before the districts rollup is built).
    const state = this.rollup.state();
    const wanted = source(groupBy, filter, true);
    const from = wanted === 'districts' && !(await state).districtsBuilt ? 'live' : wanted;
    const [groups, { refreshedAt }] = await Promise.all([
      groupBy === 'ageing'
        ? this.ageing(range, filter)
        : from === 'live'
          ? this.live.sums(groupBy, ...istDays(range), filter)
          : from === 'filters'
            ? this.filteredSums(groupBy as FilterGrouping, range, filter).then((r) => r.groups)
            : from === 'districts'
              ? this.districtSums(groupBy as DistrictGrouping, range, filter).then((r) => r.groups)
              : this.sums(groupBy, range, filter),
      state,
    ]);
    // Every grievance is in exactly one group of any grouping: the overall figures are their sum
    // (no second pass over the rollup and the live past-due count).
    const overall = emptySums();
    for (const sums of groups) {
      addSums(overall, sums);
      overall.openPastDue += sums.openPastDue;
    }
    return {
      groupBy,
      ...range,
      filter,
      // A live view is as of now; the rollup's as of its last refresh.
      asOf: from === 'live' ? new Date().toISOString() : (refreshedAt?.toISOString() ?? null),
      staleSince: staleSince(refreshedAt, new Date()),
      overall: slaFigures(overall),
      groups: this.present(groupBy, groups),
    };
  }

  /** Open grievances per ageing bucket, every bucket listed (an empty one with zeros). */
  private async ageing(range: DateRange, filter: GrievanceFilter): Promise<Group[]> {
    const rows = await this.live.ageing(...istDays(range), filter);
    return AGEING_BUCKETS.map(({ key }) => {
      const row = rows.find((r) => r.key === key);
      return {
        ...emptySums(),
        key,
        stateCode: '',
        total: row?.open ?? 0,
        openPastDue: row?.openPastDue ?? 0,
      };
    });
  }

  /**
   * The analyst's other views, for the range and filters: month by month with the change on
   * the month before, the ratings given, appeals pending and decided, transfers by portal.
   */
  async insights(range: DateRange, filter: GrievanceFilter) {
    const [lo, hi] = istDays(range);
    // Month by month and the ratings from the filters rollup, or the districts rollup when
    // filtered by district; appeals and transfers need the status events: live.
    const state = this.rollup.state();
    const from = !filter.district ? 'filters' : (await state).districtsBuilt ? 'districts' : 'live';
    const fromRollup = from !== 'live';
    const [counted, appeals, transfers, { refreshedAt }] = await Promise.all([
      from === 'filters'
        ? this.filteredSums('month', range, filter)
        : from === 'districts'
          ? this.districtSums('month', range, filter)
          : this.liveSums('month', lo, hi, filter),
      this.live.appeals(lo, hi, filter),
      this.live.transfersByPortal(lo, hi, filter),
      state,
    ]);
    const months = counted.groups;
    const ratings = counted.ratings;
    const monthly = months
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((m) => ({ month: m.key, ...slaFigures(m) }));
    return {
      ...range,
      filter,
      // The monthly figures and ratings as of the rollup's refresh when read from it.
      asOf: fromRollup ? (refreshedAt?.toISOString() ?? null) : new Date().toISOString(),
      monthly: monthly.map((m, i) => ({
        ...m,
        change: i === 0 ? null : monthChange(m, monthly[i - 1]),
      })),
      ratings: ratings.map((count, i) => ({ rating: i + 1, count })),
      appeals,
      transfersByPortal: transfers.map((t) => ({
        portal: t.portal,
        name: portalName(this.config, t.portal),
        transfers: t.transfers,
        grievances: t.grievances,
      })),
    };
  }

  /** Per IST month received, from the rollup (plus the live past-due count): `YYYY-MM` keys. */
  async monthly(range: DateRange): Promise<{ month: string; figures: SlaFigures }[]> {
    const [lo, hi] = istDays(range);
    const [rows, pastDue] = await Promise.all([
      this.rollup.monthRows(rollupSlices(range, istDate(new Date()))),
      this.rollup.openPastDueByMonth(lo, hi),
    ]);
    const months = new Map<string, GroupSums>();
    const month = (key: string) => {
      let sums = months.get(key);
      if (!sums) months.set(key, (sums = emptySums()));
      return sums;
    };
    for (const row of rows) addSums(month(row.key), row);
    for (const { key, n } of pastDue) month(key).openPastDue += n;
    return [...months.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([m, sums]) => ({ month: m, figures: slaFigures(sums) }));
  }

  /** Figures per portal within each state (the public page's cross-table), from the rollup. */
  async portalByState(range: DateRange): Promise<GroupFigures[]> {
    return this.present('portal_state', await this.sums('portal_state', range));
  }

  async trend(range: DateRange) {
    return { ...range, weeks: await this.rollup.weekly(range.from, range.to) };
  }

  /** Sums per group: the rollup rows for the range plus the live count of open ones past due. */
  private async sums(dim: Dimension, range: DateRange, filter: GrievanceFilter = {}) {
    const [rows, pastDue] = await Promise.all([
      this.rollup.rows(dim, rollupSlices(range, istDate(new Date())), filter.ministry, {
        state: filter.state,
        district: filter.district,
      }),
      this.rollup.openPastDue(dim, ...istDays(range), filter),
    ]);
    return fold(rows, pastDue);
  }

  /**
   * Sums per group from the filters rollup (any filter but the district) plus the live count of
   * open ones past due, and the ratings given (ratings[i - 1]: rated i).
   */
  private async filteredSums(by: FilterGrouping, range: DateRange, filter: GrievanceFilter) {
    const [rows, pastDue] = await Promise.all([
      this.rollup.filteredRows(by, rollupSlices(range, istDate(new Date())), filter),
      this.rollup.openPastDue(by, ...istDays(range), filter),
    ]);
    return { groups: fold(rows, pastDue), ratings: sumRatings(rows) };
  }

  /**
   * Sums per group from the districts rollup's whole months, the days at the edges of the
   * range read live, plus the live count of open ones past due; and the ratings given.
   */
  private async districtSums(by: DistrictGrouping, range: DateRange, filter: GrievanceFilter) {
    const slices = rollupSlices(range, istDate(new Date()));
    const [rows, edges, pastDue] = await Promise.all([
      this.rollup.districtRows(by, slices.months, filter),
      Promise.all(slices.days.map((days) => this.liveSums(by, ...istDays(days), filter))),
      this.rollup.openPastDue(by, ...istDays(range), filter),
    ]);
    // fold() takes the past-due counts from `pastDue` only, not the edges' own.
    return {
      groups: fold([...rows, ...edges.flatMap((e) => e.groups)], pastDue),
      ratings: sumRatings([...rows, ...edges]),
    };
  }

  /** Sums per group and the ratings given, read live from the grievances received in [lo, hi). */
  private async liveSums(by: DistrictGrouping, lo: Date, hi: Date, filter: GrievanceFilter) {
    const [groups, rated] = await Promise.all([
      this.live.sums(by, lo, hi, filter),
      this.live.ratings(lo, hi, filter),
    ]);
    return {
      groups,
      ratings: [1, 2, 3, 4, 5].map((r) => rated.find((x) => x.rating === r)?.n ?? 0),
    };
  }

  private present(dim: Dimension | 'ageing', groups: Group[]) {
    // Ageing buckets stay in their order; other groups by state, then key.
    if (dim !== 'ageing')
      groups.sort((a, b) => a.stateCode.localeCompare(b.stateCode) || a.key.localeCompare(b.key));
    return groups.map((sums) => ({
      key: sums.key,
      label: groupLabel(this.config, dim, sums.key),
      ...(dim === 'district' || dim === 'portal_state' ? { stateCode: sums.stateCode } : {}),
      ...slaFigures(sums),
    }));
  }
}

/**
 * Where a summary's figures come from: `rollup` (one dimension per row) when no filter but the
 * ministry is set; `filters` (every portal, state, category and ministry at once) for other
 * filters without the district; `districts` (the same per month, with the district) for a
 * district with another filter; `live` from complaints for ageing, and for the latter until the
 * districts rollup is first built (docs/sla.md).
 */
export function source(
  groupBy: GroupBy,
  f: GrievanceFilter,
  districtsBuilt: boolean,
): 'rollup' | 'filters' | 'districts' | 'live' {
  if (groupBy === 'ageing') return 'live';
  if (!f.portal && !f.state && !f.district && !f.category) return 'rollup';
  // A district row carries its state and ministry: districts of one state, or one district.
  if (groupBy === 'district' && !f.portal && !f.category) return 'rollup';
  if (!f.district && groupBy !== 'district') return 'filters';
  return districtsBuilt ? 'districts' : 'live';
}

/** How many grievances got each rating, 1–5 (`ratings[i - 1]`), over rows that count them. */
function sumRatings(rows: { ratings: number[] }[]): number[] {
  const ratings = [0, 0, 0, 0, 0];
  for (const row of rows) row.ratings.forEach((n, i) => (ratings[i] += n));
  return ratings;
}

/** Rollup rows and live past-due counts summed per group: a group is its state and key together. */
function fold(
  rows: RollupRow[],
  pastDue: { key: string; stateCode: string; n: number }[],
): Group[] {
  // A district is only ever counted within its state.
  const groups = new Map<string, Group>();
  const group = (key: string, stateCode: string) => {
    let sums = groups.get(`${stateCode}/${key}`);
    if (!sums) groups.set(`${stateCode}/${key}`, (sums = { ...emptySums(), key, stateCode }));
    return sums;
  };
  for (const row of rows) addSums(group(row.key, row.stateCode), row);
  for (const { key, stateCode, n } of pastDue) group(key, stateCode).openPastDue += n;
  return [...groups.values()];
}

/** Month on month: the change of the main figures against the month before. */
function monthChange(m: SlaFigures, before: SlaFigures) {
  const diff = (a: number | null, b: number | null) =>
    a === null || b === null ? null : Number((a - b).toFixed(2));
  return {
    total: m.total - before.total,
    resolved: m.resolved - before.resolved,
    withinSlaPct: diff(m.withinSlaPct, before.withinSlaPct),
    medianDaysToResolve: diff(m.medianDaysToResolve, before.medianDaysToResolve),
    meanFeedbackRating: diff(m.meanFeedbackRating, before.meanFeedbackRating),
  };
}
