import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { PrismaService } from '../platform/database/prisma.service';
import { APPEAL_UPHELD } from './appeal-decision';
import { filterConditions, type GrievanceFilter } from './grievance-list';
import { openPastDue } from './open-past-due';
import type { GroupSums } from './sla-figures';
import { AGEING_BUCKETS } from './sla-labels';
import {
  KEY_COLUMN,
  STATE_COLUMN,
  inPlaces,
  placesSql,
  resolveDaysSql,
  type Dimension,
} from './sla-rollup.repository';

export type LiveGroup = GroupSums & { key: string; stateCode: string };

/** A grouping of the live views: a dimension, or the IST month received (`YYYY-MM`). */
export type LiveGrouping = Dimension | 'month';

const MONTH_KEY = Prisma.sql`to_char(c.created_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM')`;

/**
 * The staff figures read straight from `complaints` (and `status_events`), for what the rollup
 * cannot answer: views filtered by place or category, ageing, ratings, appeals, transfers.
 * Same definitions as the rollup (docs/sla.md); only grievances received in [lo, hi) whose
 * place is in the reference data count.
 */
@Injectable()
export class SlaLiveRepository {
  private readonly places: Prisma.Sql;

  constructor(
    private readonly prisma: PrismaService,
    @InjectConfig() config: HubConfig,
  ) {
    this.places = placesSql(config.jurisdictions);
  }

  private where(lo: Date, hi: Date, f: GrievanceFilter, extra: Prisma.Sql[] = []) {
    return Prisma.join(
      [
        Prisma.sql`c.created_at >= ${lo}`,
        Prisma.sql`c.created_at < ${hi}`,
        inPlaces(Prisma.sql`c`),
        ...filterConditions(f),
        ...extra,
      ],
      ' AND ',
    );
  }

  /**
   * Per group, the sums the rollup would hold plus the open ones past their deadline. Two
   * levels: counted per group and days to resolve first, then each group's counts folded into
   * its histogram (not an array of every grievance's days).
   */
  sums(by: LiveGrouping, lo: Date, hi: Date, f: GrievanceFilter): Promise<LiveGroup[]> {
    const key = by === 'month' ? MONTH_KEY : KEY_COLUMN[by];
    const state = by === 'month' ? Prisma.sql`''` : STATE_COLUMN[by];
    return this.prisma.$queryRaw<LiveGroup[]>`
      WITH places AS (${this.places}), counted AS (
        SELECT ${key} AS key, ${state} AS state, ${resolveDaysSql(Prisma.sql`c`)} AS rdays,
          count(*)::int AS total, count(c.resolved_at)::int AS resolved,
          count(*) FILTER (WHERE c.resolved_at <= c.sla_due_at)::int AS within,
          count(*) FILTER (WHERE c.resolved_at > c.sla_due_at)::int AS late,
          count(c.appealed_at)::int AS appealed,
          count(c.feedback_rating)::int AS fb_n,
          coalesce(sum(c.feedback_rating), 0)::int AS fb_sum,
          count(*) FILTER (WHERE ${openPastDue('c')})::int AS past_due
        FROM complaints c
        WHERE ${this.where(lo, hi, f)}
        GROUP BY 1, 2, 3
      )
      SELECT key, state AS "stateCode", sum(total)::int AS total, sum(resolved)::int AS resolved,
        sum(within)::int AS "resolvedWithin", sum(late)::int AS "resolvedLate",
        sum(appealed)::int AS appealed, sum(fb_n)::int AS "feedbackCount",
        sum(fb_sum)::int AS "feedbackSum",
        sla_histogram(array_agg(rdays), array_agg(resolved)) AS "resolveDays",
        sum(past_due)::int AS "openPastDue"
      FROM counted GROUP BY 1, 2`;
  }

  /** Open grievances by days since received (AGEING_BUCKETS), with those past their deadline. */
  async ageing(lo: Date, hi: Date, f: GrievanceFilter) {
    const bucket = Prisma.sql`CASE ${Prisma.join(
      AGEING_BUCKETS.map((b) =>
        b.to === null
          ? Prisma.sql`WHEN true THEN ${b.key}`
          : Prisma.sql`WHEN floor(extract(epoch FROM now() - c.created_at) / 86400) <= ${b.to} THEN ${b.key}`,
      ),
      ' ',
    )} END`;
    // Past due is openPastDue() among open grievances, written without resolved_at: the index
    // of open grievances (complaints_open_received_idx) implies it but does not hold it, and
    // without it the read is index-only.
    return this.prisma.$queryRaw<{ key: string; open: number; openPastDue: number }[]>`
      WITH places AS (${this.places})
      SELECT ${bucket} AS key, count(*)::int AS open,
        count(*) FILTER (WHERE c.sla_due_at < now())::int AS "openPastDue"
      FROM complaints c
      WHERE ${this.where(lo, hi, f, [Prisma.sql`c.resolved_at IS NULL`])}
      GROUP BY 1`;
  }

  /** How many grievances got each rating, 1–5. */
  ratings(lo: Date, hi: Date, f: GrievanceFilter) {
    return this.prisma.$queryRaw<{ rating: number; n: number }[]>`
      WITH places AS (${this.places})
      SELECT c.feedback_rating::int AS rating, count(*)::int AS n
      FROM complaints c
      WHERE ${this.where(lo, hi, f, [Prisma.sql`c.feedback_rating IS NOT NULL`])}
      GROUP BY 1 ORDER BY 1`;
  }

  /**
   * Appeals of the grievances: decided at the first portal event after the appeal that reopens
   * or disposes of it (as the District Governance Index counts them, docs/governance-index.md),
   * else pending; pending past the appellate deadline counted apart. An index-only scan of the
   * appealed grievances (complaints_appeals_idx), the decision kept on each.
   */
  async appeals(lo: Date, hi: Date, f: GrievanceFilter) {
    const [row] = await this.prisma.$queryRaw<
      { appealed: number; decided: number; upheld: number; pendingPastDue: number }[]
    >`
      WITH places AS (${this.places})
      SELECT count(*)::int AS appealed, count(c.appeal_decision)::int AS decided,
        count(*) FILTER (WHERE ${APPEAL_UPHELD})::int AS upheld,
        count(*) FILTER (WHERE c.appeal_decision IS NULL AND c.appeal_due_at < now())::int AS "pendingPastDue"
      FROM complaints c
      WHERE ${this.where(lo, hi, f, [Prisma.sql`c.appealed_at IS NOT NULL`])}`;
    return { ...row, pending: row.appealed - row.decided };
  }

  /**
   * Transfers ("not pertaining") by the portal that passed the grievance on. Only transferred
   * grievances are read (complaints_transferred_idx: `transferred_at` is set by the first
   * TRANSFERRED entry), then their timeline.
   */
  transfersByPortal(lo: Date, hi: Date, f: GrievanceFilter) {
    return this.prisma.$queryRaw<{ portal: string; transfers: number; grievances: number }[]>`
      WITH places AS (${this.places})
      SELECT coalesce(e.portal_code, '-') AS portal, count(*)::int AS transfers,
        count(DISTINCT c.id)::int AS grievances
      FROM complaints c JOIN status_events e ON e.complaint_id = c.id AND e.status = 'TRANSFERRED'
      WHERE ${this.where(lo, hi, f, [Prisma.sql`c.transferred_at IS NOT NULL`])}
      GROUP BY 1 ORDER BY 2 DESC, 1`;
  }
}
