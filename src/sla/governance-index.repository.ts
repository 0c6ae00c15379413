import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { ReadDatabase } from '../platform/database/read-database';
import { APPEAL_UPHELD } from './appeal-decision';
import type { DistrictIndicators } from './district-index';
import { openPastDue } from './open-past-due';
import { istMonths, nextMonth } from './sla-calendar';
import { histogramPercentile } from './sla-figures';
import { inPlaces, placesSql, SlaRollupRepository } from './sla-rollup.repository';

/** Counts behind the indicators of one district and month (docs/governance-index.md). */
export interface DistrictMonthCounts {
  key: string;
  /** First day of the IST month the grievances were received in, YYYY-MM-DD. */
  month: string;
  received: number;
  disposed: number;
  disposedWithin: number;
  openPastDue: number;
  medianDaysToDispose: number | null;
  ratings: number;
  meanRating: number | null;
  appealed: number;
  appealsDecided: number;
  appealsUpheld: number;
  transferred: number;
  /** Joined another citizen's earlier report of the same problem (a cluster it did not start). */
  repeated: number;
}

const pct = (part: number, whole: number) =>
  whole > 0 ? Number(((100 * part) / whole).toFixed(1)) : null;

/** The indicator values of the counts. */
export function indicators(c: DistrictMonthCounts): DistrictIndicators {
  return {
    key: c.key,
    received: c.received,
    values: {
      disposalRate: pct(c.disposed, c.received),
      withinDeadline: pct(c.disposedWithin, c.disposed + c.openPastDue),
      medianDaysToDispose: c.medianDaysToDispose,
      satisfaction: c.meanRating,
      appealRate: pct(c.appealed, c.disposed),
      appealsUpheld: pct(c.appealsUpheld, c.appealsDecided),
      repeatRate: pct(c.repeated, c.received),
      transferRate: pct(c.transferred, c.received),
    },
  };
}

/** The sparse counts read live: each from a small partial index of `complaints`. */
interface LiveCount {
  kind: 'pastDue' | 'appeals' | 'transferred' | 'repeated';
  key: string;
  month: string;
  n: number;
  upheld: number;
}

/** A district and month without grievances. */
export const ZERO_COUNTS: Omit<DistrictMonthCounts, 'key' | 'month'> = {
  received: 0,
  disposed: 0,
  disposedWithin: 0,
  openPastDue: 0,
  medianDaysToDispose: null,
  ratings: 0,
  meanRating: null,
  appealed: 0,
  appealsDecided: 0,
  appealsUpheld: 0,
  transferred: 0,
  repeated: 0,
};

/**
 * The District Governance Index's counts for one state and a few months. What is counted per
 * grievance received (received, disposed, within the deadline, days to dispose, ratings,
 * appeals) comes from the SLA rollup's district month rows; what is sparse or depends on now
 * (open past the deadline, appeal decisions, transfers, repeats) is counted live from small
 * partial indexes. So a read does not grow with the state's grievances (docs/benchmarks.md).
 * Reads only, on the read database.
 */
@Injectable()
export class GovernanceIndexRepository {
  private readonly places: Prisma.Sql;

  constructor(
    private readonly reads: ReadDatabase,
    private readonly rollup: SlaRollupRepository,
    @InjectConfig() config: HubConfig,
  ) {
    this.places = placesSql(config.jurisdictions);
  }

  /**
   * Per district of `stateCode` and IST month received, for the months from `firstMonth` to
   * `lastMonth` (YYYY-MM-01). Grievances without a district, or whose place is not in the
   * reference data, are not counted (as in the SLA figures).
   */
  async districtMonths(
    stateCode: string,
    firstMonth: string,
    lastMonth: string,
  ): Promise<DistrictMonthCounts[]> {
    const months = [firstMonth];
    while (months[months.length - 1] < lastMonth) months.push(nextMonth(months[months.length - 1]));
    const [rolled, live] = await Promise.all([
      Promise.all(
        months.map((m) =>
          this.rollup.rows('district', { months: [m], days: [] }, undefined, { state: stateCode }),
        ),
      ),
      this.live(stateCode, firstMonth, lastMonth),
    ]);
    const counts = new Map<string, DistrictMonthCounts>();
    const entry = (key: string, month: string) => {
      const id = `${month} ${key}`;
      let c = counts.get(id);
      if (!c) counts.set(id, (c = { key, month, ...ZERO_COUNTS }));
      return c;
    };
    rolled.forEach((rows, i) => {
      for (const r of rows) {
        if (r.key.startsWith('-')) continue; // the state's grievances without a district
        Object.assign(entry(r.key, months[i]), {
          received: r.total,
          disposed: r.resolved,
          disposedWithin: r.resolvedWithin,
          medianDaysToDispose: histogramPercentile(r.resolveDays, 0.5),
          ratings: r.feedbackCount,
          meanRating:
            r.feedbackCount > 0 ? Math.round((100 * r.feedbackSum) / r.feedbackCount) / 100 : null,
          appealed: r.appealed,
        });
      }
    });
    for (const l of live) {
      const c = entry(l.key, l.month);
      if (l.kind === 'pastDue') c.openPastDue = l.n;
      else if (l.kind === 'appeals')
        Object.assign(c, { appealsDecided: l.n, appealsUpheld: l.upheld });
      else c[l.kind] = l.n;
    }
    return [...counts.values()].sort((a, b) =>
      a.month === b.month ? (a.key < b.key ? -1 : 1) : a.month < b.month ? -1 : 1,
    );
  }

  /** When the rollup was last refreshed (null: never). */
  refreshedAt(): Promise<Date | null> {
    return this.rollup.refreshedAt();
  }

  /**
   * Open past the deadline (complaints_open_received_idx), appeals decided and upheld
   * (complaints_appeals_idx, with the decision kept on the grievance), transferred
   * (complaints_transferred_idx) and repeats (complaints_repeated_idx), per district and IST
   * month received. Each reads only its own few grievances of the months.
   */
  private live(stateCode: string, firstMonth: string, lastMonth: string): Promise<LiveCount[]> {
    const [lo, hi] = istMonths(firstMonth, lastMonth);
    const c = Prisma.sql`c`;
    const of = Prisma.sql`c.state_code = ${stateCode} AND c.district_code IS NOT NULL
      AND c.created_at >= ${lo} AND c.created_at < ${hi} AND ${inPlaces(c)}`;
    const month = Prisma.sql`to_char(date_trunc('month', c.created_at AT TIME ZONE 'Asia/Kolkata'), 'YYYY-MM-DD')`;
    return this.reads.prisma.$queryRaw<LiveCount[]>`
      WITH places AS (${this.places})
      SELECT 'pastDue' AS kind, c.district_code AS key, ${month} AS month,
        count(*)::int AS n, 0 AS upheld
      FROM complaints c WHERE ${openPastDue('c')} AND ${of} GROUP BY 2, 3
      UNION ALL
      SELECT 'appeals', c.district_code, ${month}, count(c.appeal_decision)::int,
        count(*) FILTER (WHERE ${APPEAL_UPHELD})::int
      FROM complaints c
      WHERE c.appealed_at IS NOT NULL AND ${of} GROUP BY 2, 3
      UNION ALL
      SELECT 'transferred', c.district_code, ${month}, count(*)::int, 0
      FROM complaints c WHERE c.transferred_at IS NOT NULL AND ${of} GROUP BY 2, 3
      UNION ALL
      SELECT 'repeated', c.district_code, ${month}, count(*)::int, 0
      FROM complaints c WHERE c.cluster_id <> c.id AND ${of} GROUP BY 2, 3`;
  }
}
