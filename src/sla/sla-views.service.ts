import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { ValidationFailedError } from '../platform/errors/domain-error';
import type { GroupBy } from './dto/sla-queries.dto';
import { staleSince } from './rollup-freshness';
import { rollupSlices, type DateRange } from './rollup-range';
import { istDate } from './sla-calendar';
import { addSums, emptySums, slaFigures, type GroupSums, type SlaFigures } from './sla-figures';
import { groupLabel, type Label } from './sla-labels';
import { SlaRollupRepository, type Dimension } from './sla-rollup.repository';
import { DAY_MS } from '../platform/time';

export interface GroupFigures extends SlaFigures {
  key: string;
  label: Label;
  stateCode?: string;
}

export interface Summary {
  groupBy: GroupBy;
  from: string;
  to: string;
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
  ) {}

  range(q: { from?: string; to?: string }): DateRange {
    const range = { from: q.from ?? ALL_TIME_FROM, to: q.to ?? istDate(new Date()) };
    if (range.from > range.to)
      throw new ValidationFailedError([{ path: 'from', message: 'from must not be after to' }]);
    return range;
  }

  async summary(groupBy: GroupBy, range: DateRange): Promise<Summary> {
    const [groups, refreshedAt] = await Promise.all([
      this.sums(groupBy, range),
      this.rollup.refreshedAt(),
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
      asOf: refreshedAt?.toISOString() ?? null,
      staleSince: staleSince(refreshedAt, new Date()),
      overall: slaFigures(overall),
      groups: this.present(groupBy, groups),
    };
  }

  async trend(range: DateRange) {
    return { ...range, weeks: await this.rollup.weekly(range.from, range.to) };
  }

  private async figures(dim: Dimension, range: DateRange, stateCode?: string) {
    return this.present(dim, await this.sums(dim, range, stateCode));
  }

  /** Sums per group: the rollup rows for the range plus the live count of open ones past due. */
  private async sums(dim: Dimension, range: DateRange, stateCode?: string) {
    const lo = new Date(`${range.from}T00:00:00+05:30`);
    const hi = new Date(new Date(`${range.to}T00:00:00+05:30`).getTime() + DAY_MS);
    const [rows, pastDue] = await Promise.all([
      this.rollup.rows(dim, rollupSlices(range, istDate(new Date())), stateCode),
      this.rollup.openPastDue(dim, lo, hi, stateCode),
    ]);
    // A group is its state and key together: a district is only ever counted within its state.
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

  private present(dim: Dimension, groups: Group[]) {
    return groups
      .sort((a, b) => a.stateCode.localeCompare(b.stateCode) || a.key.localeCompare(b.key))
      .map((sums) => ({
        key: sums.key,
        label: groupLabel(this.config, dim, sums.key),
        ...(dim === 'district' ? { stateCode: sums.stateCode } : {}),
        ...slaFigures(sums),
      }));
  }
}
