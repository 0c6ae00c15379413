import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { PrismaService } from '../platform/database/prisma.service';
import { APPEAL_UPHELD, appealDecisionJoin } from './appeal-decision';
import type { DistrictIndicators } from './district-index';
import { openPastDue } from './open-past-due';
import { inPlaces, placesSql, resolveDaysSql } from './sla-rollup.repository';

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

/**
 * The District Governance Index's counts, read live from `complaints` and `status_events` for
 * one state and a few months (the rollup has no appeal outcomes or transfers). Reads only.
 */
@Injectable()
export class GovernanceIndexRepository {
  private readonly places: Prisma.Sql;

  constructor(
    private readonly prisma: PrismaService,
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
    const lo = new Date(`${firstMonth}T00:00:00+05:30`);
    const hi = new Date(`${nextMonth(lastMonth)}T00:00:00+05:30`);
    return this.prisma.$queryRaw<DistrictMonthCounts[]>`
      WITH places AS (${this.places}), base AS (
        SELECT c.id, c.district_code,
          to_char(date_trunc('month', c.created_at AT TIME ZONE 'Asia/Kolkata'), 'YYYY-MM-DD') AS month,
          c.resolved_at IS NOT NULL AS disposed,
          coalesce(c.resolved_at <= c.sla_due_at, false) AS within,
          ${openPastDue('c')} AS past_due,
          ${resolveDaysSql(Prisma.sql`c`)} AS rdays,
          c.feedback_rating, c.appealed_at,
          coalesce(c.cluster_id <> c.id, false) AS repeated
        FROM complaints c
        WHERE c.state_code = ${stateCode} AND c.district_code IS NOT NULL
          AND c.created_at >= ${lo} AND c.created_at < ${hi} AND ${inPlaces(Prisma.sql`c`)}
      )
      SELECT b.district_code AS key, b.month,
        count(*)::int AS received,
        count(*) FILTER (WHERE b.disposed)::int AS disposed,
        count(*) FILTER (WHERE b.within)::int AS "disposedWithin",
        count(*) FILTER (WHERE b.past_due)::int AS "openPastDue",
        round((percentile_cont(0.5) WITHIN GROUP (ORDER BY b.rdays))::numeric, 2)::float8
          AS "medianDaysToDispose",
        count(b.feedback_rating)::int AS ratings,
        round(avg(b.feedback_rating), 2)::float8 AS "meanRating",
        count(b.appealed_at)::int AS appealed,
        count(d.status)::int AS "appealsDecided",
        count(*) FILTER (WHERE ${APPEAL_UPHELD})::int AS "appealsUpheld",
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM status_events t
          WHERE t.complaint_id = b.id AND t.status = 'TRANSFERRED'))::int AS transferred,
        count(*) FILTER (WHERE b.repeated)::int AS repeated
      FROM base b
      ${appealDecisionJoin('b')}
      GROUP BY b.district_code, b.month
      ORDER BY b.month, b.district_code`;
  }
}

/** YYYY-MM-01 of the month after `month` (YYYY-MM-01). */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** YYYY-MM-01 of the month before `month` (YYYY-MM-01). */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
}
