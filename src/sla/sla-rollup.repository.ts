import { Injectable } from '@nestjs/common';
import type { QueryResultRow } from 'pg';
import { Prisma } from '../generated/prisma/client';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig, Jurisdictions } from '../platform/config/hub-config';
import { PrismaService } from '../platform/database/prisma.service';
import { ReadDatabase } from '../platform/database/read-database';
import { filterConditions, ministrySql, type GrievanceFilter } from './grievance-list';
import { openPastDue } from './open-past-due';
import type { GroupSums } from './sla-figures';
import { istDays, istMonths } from './sla-calendar';
import type { RollupSlices } from './rollup-range';

/**
 * A grouping of the rollup; 'ministry' reads the `all` rows by their ministry (see rows()), and
 * 'portal_state' (portal within state) is the public page's cross-table (src/public/suppress.ts).
 */
export type Dimension =
  'all' | 'portal' | 'state' | 'district' | 'category' | 'ministry' | 'portal_state';

export interface RollupRow extends Omit<GroupSums, 'openPastDue'> {
  key: string;
  stateCode: string;
}

/** Grievances whose place is not in the reference data: left out of the figures, and reported. */
export interface LeftOut {
  count: number;
  examples: { trackingId: string; stateCode: string; districtCode: string | null }[];
}

const LOCK_KEY = 727_006;
const LEFT_OUT_EXAMPLES = 5;

/** The end of "all time" for a rebuild from scratch. */
const FAR_FUTURE = new Date('9999-01-01T00:00:00Z');
export const KEY_COLUMN: Record<Dimension, Prisma.Sql> = {
  all: Prisma.sql`'all'`,
  portal: Prisma.sql`primary_portal_code`,
  portal_state: Prisma.sql`primary_portal_code`,
  state: Prisma.sql`state_code`,
  district: Prisma.sql`coalesce(district_code, '-' || state_code)`,
  category: Prisma.sql`category`,
  ministry: ministrySql(Prisma.sql`c`),
};
/** A rollup row's state_code: the group's state where the group lies in one, else ''. */
export const STATE_COLUMN: Record<Dimension, Prisma.Sql> = {
  all: Prisma.sql`''`,
  portal: Prisma.sql`''`,
  portal_state: Prisma.sql`state_code`,
  state: Prisma.sql`state_code`,
  district: Prisma.sql`state_code`,
  category: Prisma.sql`''`,
  ministry: Prisma.sql`''`,
};

/**
 * The places the figures count: every state with no district, and every district with its
 * state (config/jurisdictions.yaml). A grievance stored with a district of another state, or
 * with a state that no longer exists, matches none and is left out rather than mis-keyed.
 */
export function placesSql(j: Jurisdictions): Prisma.Sql {
  const states = [...j.states.map((s) => s.code), ...j.districts.map((d) => d.stateCode)];
  const districts = [...j.states.map(() => ''), ...j.districts.map((d) => d.code)];
  return Prisma.sql`SELECT * FROM unnest(${states}::text[], ${districts}::text[]) AS p(state_code, district)`;
}

/**
 * Days from delivery (else receipt) to the first resolution of the complaints row `alias`,
 * rounded up and capped at 180 (the histogram's last bucket); NULL while open. The one
 * definition of "days to resolve" for the summary and the District Governance Index.
 */
export const resolveDaysSql = (
  alias: Prisma.Sql,
) => Prisma.sql`CASE WHEN ${alias}.resolved_at IS NOT NULL
  THEN least(180, greatest(0, ceil(extract(epoch FROM ${alias}.resolved_at
    - coalesce(${alias}.delivered_at, ${alias}.created_at)) / 86400)))::int END`;

/** `alias`'s place is one of `places` (see placesSql). */
export const inPlaces = (alias: Prisma.Sql) => Prisma.sql`EXISTS (SELECT 1 FROM places p
  WHERE p.state_code = ${alias}.state_code AND p.district = coalesce(${alias}.district_code, ''))`;

// Day rows for grievances received in [lo, hi), every dimension in one pass (grouping sets).
const dayRowsSql = (places: Prisma.Sql, lo: Date, hi: Date) => Prisma.sql`
  INSERT INTO sla_rollup (grain, day, dim, key, state_code, ministry, total, resolved,
    resolved_within, resolved_late, appealed, feedback_count, feedback_sum, resolve_days)
  WITH places AS (${places}), base AS (
    SELECT (created_at AT TIME ZONE 'Asia/Kolkata')::date AS day, primary_portal_code AS portal,
      state_code AS state, coalesce(district_code, '-' || state_code) AS district, category,
      ${ministrySql(Prisma.sql`c`)} AS ministry,
      (resolved_at IS NOT NULL)::int AS resolved,
      coalesce(resolved_at <= sla_due_at, false)::int AS within,
      coalesce(resolved_at > sla_due_at, false)::int AS late,
      (appealed_at IS NOT NULL)::int AS appealed,
      feedback_rating,
      ${resolveDaysSql(Prisma.sql`c`)} AS rdays
    FROM complaints c WHERE created_at >= ${lo} AND created_at < ${hi} AND ${inPlaces(Prisma.sql`c`)}
  ), sets AS (
    SELECT day, rdays, CASE WHEN GROUPING(ministry) = 0 THEN ministry ELSE '' END AS ministry,
      CASE WHEN GROUPING(portal) = 0 AND GROUPING(state) = 0 THEN 'portal_state'
           WHEN GROUPING(portal) = 0 THEN 'portal' WHEN GROUPING(district) = 0 THEN 'district'
           WHEN GROUPING(state) = 0 THEN 'state' WHEN GROUPING(category) = 0 THEN 'category'
           ELSE 'all' END AS dim,
      coalesce(portal, CASE WHEN GROUPING(district) = 0 THEN district END, state, category, 'all') AS key,
      CASE WHEN GROUPING(state) = 0 THEN state ELSE '' END AS state_code,
      count(*)::int AS total, sum(resolved)::int AS resolved, sum(within)::int AS within,
      sum(late)::int AS late, sum(appealed)::int AS appealed,
      count(feedback_rating)::int AS fb_n, coalesce(sum(feedback_rating), 0)::int AS fb_sum
    FROM base
    GROUP BY GROUPING SETS ((day, rdays), (day, portal, rdays), (day, state, rdays),
      (day, state, district, rdays), (day, category, rdays), (day, portal, state, rdays),
      (day, ministry, rdays), (day, portal, ministry, rdays), (day, state, ministry, rdays),
      (day, state, district, ministry, rdays), (day, category, ministry, rdays))
  )
  SELECT 'day', day, dim, key, state_code, ministry, sum(total), sum(resolved), sum(within),
    sum(late), sum(appealed), sum(fb_n), sum(fb_sum),
    sla_histogram(array_agg(rdays), array_agg(resolved))
  FROM sets GROUP BY day, dim, key, state_code, ministry`;

const monthRowsSql = (months: string[]) => Prisma.sql`
  INSERT INTO sla_rollup (grain, day, dim, key, state_code, ministry, total, resolved,
    resolved_within, resolved_late, appealed, feedback_count, feedback_sum, resolve_days)
  SELECT 'month', date_trunc('month', day)::date, dim, key, state_code, ministry, sum(total),
    sum(resolved), sum(resolved_within), sum(resolved_late), sum(appealed), sum(feedback_count),
    sum(feedback_sum), sla_hist_sum(resolve_days)
  FROM sla_rollup
  WHERE grain = 'day' AND date_trunc('month', day)::date = ANY(${months}::date[])
  GROUP BY 2, dim, key, state_code, ministry`;

const IST_DAY = Prisma.sql`(created_at AT TIME ZONE 'Asia/Kolkata')::date`;

/**
 * Rows of a rollup kept by every filter at once, for grievances received in [lo, hi): one per
 * combination of `keys` (column and expression), with the sums, the histogram of days to
 * resolve and the ratings. Two levels: grievances are counted per combination and days to
 * resolve first, then each combination's counts are folded into its histogram.
 */
function countedRowsSql(
  table: 'sla_rollup_filters' | 'sla_rollup_districts',
  keys: [string, Prisma.Sql][],
  places: Prisma.Sql,
  lo: Date,
  hi: Date,
) {
  const names = keys.map(([, _], i) => Prisma.raw(`k${i}`));
  const columns = Prisma.raw(keys.map(([column]) => column).join(', '));
  return Prisma.sql`
  INSERT INTO ${Prisma.raw(table)} (${columns}, total, resolved, resolved_within, resolved_late,
    appealed, feedback_count, feedback_sum, resolve_days, ratings)
  WITH places AS (${places}), counted AS (
    SELECT ${Prisma.join(
      keys.map(([, expr], i) => Prisma.sql`${expr} AS ${names[i]}`),
      ', ',
    )}, ${resolveDaysSql(Prisma.sql`c`)} AS rdays,
      count(*)::int AS total, count(resolved_at)::int AS resolved,
      count(*) FILTER (WHERE resolved_at <= sla_due_at)::int AS within,
      count(*) FILTER (WHERE resolved_at > sla_due_at)::int AS late,
      count(appealed_at)::int AS appealed,
      count(feedback_rating)::int AS fb_n, coalesce(sum(feedback_rating), 0)::int AS fb_sum,
      ${Prisma.join(
        [1, 2, 3, 4, 5].map(
          (r) =>
            Prisma.sql`count(*) FILTER (WHERE feedback_rating = ${r})::int AS ${Prisma.raw(`r${r}`)}`,
        ),
        ', ',
      )}
    FROM complaints c WHERE created_at >= ${lo} AND created_at < ${hi} AND ${inPlaces(Prisma.sql`c`)}
    GROUP BY ${Prisma.join(names, ', ')}, rdays
  )
  SELECT ${Prisma.join(names, ', ')}, sum(total), sum(resolved), sum(within), sum(late),
    sum(appealed), sum(fb_n), sum(fb_sum), sla_histogram(array_agg(rdays), array_agg(resolved)),
    ARRAY[sum(r1), sum(r2), sum(r3), sum(r4), sum(r5)]::int[]
  FROM counted GROUP BY ${Prisma.join(names, ', ')}`;
}

// The filters rollup's day rows: one per IST day and (portal, state, category, ministry).
const filterDayRowsSql = (places: Prisma.Sql, lo: Date, hi: Date) =>
  countedRowsSql(
    'sla_rollup_filters',
    [
      ['grain', Prisma.sql`'day'`],
      ['day', IST_DAY],
      ['state_code', Prisma.sql`state_code`],
      ['portal', Prisma.sql`primary_portal_code`],
      ['category', Prisma.sql`category`],
      ['ministry', ministrySql(Prisma.sql`c`)],
    ],
    places,
    lo,
    hi,
  );

// The districts rollup's rows: one per IST month and (state, district, portal, category, ministry).
const districtRowsSql = (places: Prisma.Sql, lo: Date, hi: Date) =>
  countedRowsSql(
    'sla_rollup_districts',
    [
      ['month', Prisma.sql`date_trunc('month', ${IST_DAY})::date`],
      ['state_code', Prisma.sql`state_code`],
      ['district', KEY_COLUMN.district],
      ['portal', Prisma.sql`primary_portal_code`],
      ['category', Prisma.sql`category`],
      ['ministry', ministrySql(Prisma.sql`c`)],
    ],
    places,
    lo,
    hi,
  );

const filterMonthRowsSql = (months: string[]) => Prisma.sql`
  INSERT INTO sla_rollup_filters (grain, day, state_code, portal, category, ministry, total,
    resolved, resolved_within, resolved_late, appealed, feedback_count, feedback_sum,
    resolve_days, ratings)
  SELECT 'month', date_trunc('month', day)::date, state_code, portal, category, ministry,
    sum(total), sum(resolved), sum(resolved_within), sum(resolved_late), sum(appealed),
    sum(feedback_count), sum(feedback_sum), sla_hist_sum(resolve_days),
    ARRAY[sum(ratings[1]), sum(ratings[2]), sum(ratings[3]), sum(ratings[4]), sum(ratings[5])]::int[]
  FROM sla_rollup_filters
  WHERE grain = 'day' AND date_trunc('month', day)::date = ANY(${months}::date[])
  GROUP BY 2, state_code, portal, category, ministry`;

/** The rollup rows of the slices: whole months' month rows, the other days' day rows. */
const inSlices = (slices: RollupSlices) => {
  const days = slices.days.map((d) => Prisma.sql`(day BETWEEN ${d.from}::date AND ${d.to}::date)`);
  return Prisma.sql`((grain = 'month' AND day = ANY(${slices.months}::date[])) OR (grain = 'day' AND (${
    days.length ? Prisma.join(days, ' OR ') : Prisma.sql`false`
  })))`;
};

/** A grouping the filters rollup answers: any but the district, or the IST month received. */
export type FilterGrouping = Exclude<Dimension, 'district' | 'portal_state'> | 'month';

/** A grouping the districts rollup answers: the district too. */
export type DistrictGrouping = FilterGrouping | 'district';

/** The key of a grouping of the filters and districts rollups (the month's: see countedRows). */
const COUNTED_KEY: Record<Exclude<DistrictGrouping, 'month'>, Prisma.Sql> = {
  all: Prisma.sql`'all'`,
  portal: Prisma.sql`portal`,
  state: Prisma.sql`state_code`,
  district: Prisma.sql`district`,
  category: Prisma.sql`category`,
  ministry: Prisma.sql`ministry`,
};

/** A rollup row of the filters rollup, with its ratings (ratings[i - 1]: rated i). */
export interface FilteredRow extends RollupRow {
  ratings: number[];
}

/**
 * `{1,2,3}`: an int[] sent as text, read here in one pass (Prisma's decoding of the array, and
 * split() with Number(), each took several times longer over a district view's rows).
 */
export function intArray(text: string): number[] {
  if (text[0] !== '{' || text[text.length - 1] !== '}')
    throw new Error(`not an array of counts: ${text.slice(0, 40)}`);
  const out: number[] = [];
  let n = 0;
  let digits = false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      digits = true;
    } else if ((c === 44 || c === 125) && digits) {
      // ',' or the closing '}' ends a number.
      out.push(n);
      n = 0;
      digits = false;
    } else if (!(c === 125 && i === 1)) {
      // The histograms are dense counts: no NULL, no sign, no empty element.
      throw new Error(`not an array of counts: ${text.slice(0, 40)}`);
    }
  }
  return out;
}

/**
 * The staff-view rollup (docs/sla.md): written by the refresh job on the primary, read by the
 * SLA views (refreshedAt, rows, openPastDue, weekly) from the read replica when there is one.
 */
@Injectable()
export class SlaRollupRepository {
  private readonly places: Prisma.Sql;

  constructor(
    private readonly prisma: PrismaService,
    private readonly reads: ReadDatabase,
    @InjectConfig() config: HubConfig,
  ) {
    this.places = placesSql(config.jurisdictions);
  }

  /** Runs `work` alone: refreshes from several workers (or a test) never interleave. */
  exclusive<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEY})`;
        return work(tx);
      },
      { timeout: 30 * 60_000, maxWait: 60_000 },
    );
  }

  /**
   * Up to when the rollups are current (null: never built), and the districts rollup (null:
   * not built yet; it can lag `watermark` after an older hub's refresh, see its migration).
   */
  async watermark(
    tx: Prisma.TransactionClient,
  ): Promise<{ watermark: Date; districts: Date | null } | null> {
    const [row] = await tx.$queryRaw<{ watermark: Date; districts: Date | null }[]>`
      SELECT watermark, districts_watermark AS districts FROM sla_rollup_state WHERE id = 1`;
    return row ?? null;
  }

  /** Every rollup current up to `watermark`. */
  async setWatermark(tx: Prisma.TransactionClient, watermark: Date): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO sla_rollup_state (id, watermark, districts_watermark, refreshed_at)
      VALUES (1, ${watermark}, ${watermark}, now())
      ON CONFLICT (id) DO UPDATE SET watermark = EXCLUDED.watermark,
        districts_watermark = EXCLUDED.districts_watermark, refreshed_at = now()`;
  }

  /** A read on the read database's pool, without Prisma's query pipeline (text, int, bool only). */
  private async plain<R extends QueryResultRow>(query: Prisma.Sql): Promise<R[]> {
    return (await this.reads.prisma.sql<R>(query.text, query.values)).rows;
  }

  async refreshedAt(): Promise<Date | null> {
    return (await this.state()).refreshedAt;
  }

  /** When the rollups were last refreshed, and whether the districts rollup has been built. */
  async state(): Promise<{ refreshedAt: Date | null; districtsBuilt: boolean }> {
    const [row] = await this.reads.prisma.$queryRaw<
      { refreshedAt: Date; districtsBuilt: boolean }[]
    >`SELECT refreshed_at AS "refreshedAt", districts_watermark IS NOT NULL AS "districtsBuilt"
      FROM sla_rollup_state WHERE id = 1`;
    return row ?? { refreshedAt: null, districtsBuilt: false };
  }

  /** IST days of the grievances changed since `since`. */
  async dirtyDays(tx: Prisma.TransactionClient, since: Date): Promise<string[]> {
    const rows = await tx.$queryRaw<{ day: string }[]>`
      SELECT DISTINCT to_char((created_at AT TIME ZONE 'Asia/Kolkata')::date, 'YYYY-MM-DD') AS day
      FROM complaints WHERE updated_at >= ${since}`;
    return rows.map((r) => r.day);
  }

  async rebuildDays(tx: Prisma.TransactionClient, days: string[]): Promise<void> {
    if (days.length === 0) return;
    await tx.$executeRaw`DELETE FROM sla_rollup WHERE grain = 'day' AND day = ANY(${days}::date[])`;
    await tx.$executeRaw`DELETE FROM sla_rollup_filters WHERE grain = 'day' AND day = ANY(${days}::date[])`;
    for (const day of days) {
      const [lo, hi] = istDays({ from: day, to: day });
      await tx.$executeRaw(dayRowsSql(this.places, lo, hi));
      await tx.$executeRaw(filterDayRowsSql(this.places, lo, hi));
    }
  }

  /** Grievances received on these IST days (all time: null) that the figures leave out. */
  async leftOut(tx: Prisma.TransactionClient, days: string[] | null): Promise<LeftOut> {
    if (days?.length === 0) return { count: 0, examples: [] };
    const received = days
      ? Prisma.join(
          days.map((day) => {
            const [lo, hi] = istDays({ from: day, to: day });
            return Prisma.sql`(created_at >= ${lo} AND created_at < ${hi})`;
          }),
          ' OR ',
        )
      : Prisma.sql`true`;
    const rows = await tx.$queryRaw<
      { trackingId: string; stateCode: string; districtCode: string | null; count: number }[]
    >`
      WITH places AS (${this.places})
      SELECT tracking_id AS "trackingId", state_code AS "stateCode",
        district_code AS "districtCode", (count(*) OVER ())::int AS count
      FROM complaints c
      WHERE (${received}) AND NOT ${inPlaces(Prisma.sql`c`)}
      ORDER BY created_at LIMIT ${LEFT_OUT_EXAMPLES}`;
    return {
      count: rows[0]?.count ?? 0,
      examples: rows.map(({ count: _count, ...example }) => example),
    };
  }

  async rebuildMonths(tx: Prisma.TransactionClient, months: string[]): Promise<void> {
    if (months.length === 0) return;
    await tx.$executeRaw`DELETE FROM sla_rollup WHERE grain = 'month' AND day = ANY(${months}::date[])`;
    await tx.$executeRaw(monthRowsSql(months));
    await tx.$executeRaw`DELETE FROM sla_rollup_filters WHERE grain = 'month' AND day = ANY(${months}::date[])`;
    await tx.$executeRaw(filterMonthRowsSql(months));
  }

  /**
   * The districts rollup's rows of these IST months (first days, YYYY-MM-DD), each recomputed
   * from its grievances; of every month when `months` is null.
   */
  async rebuildDistricts(tx: Prisma.TransactionClient, months: string[] | null): Promise<void> {
    if (months === null) {
      await tx.$executeRaw`TRUNCATE sla_rollup_districts`;
      await tx.$executeRaw(districtRowsSql(this.places, new Date(0), FAR_FUTURE));
      return;
    }
    if (months.length === 0) return;
    await tx.$executeRaw`DELETE FROM sla_rollup_districts WHERE month = ANY(${months}::date[])`;
    for (const month of months) {
      const [lo, hi] = istMonths(month);
      await tx.$executeRaw(districtRowsSql(this.places, lo, hi));
    }
  }

  /** Everything from scratch (after a bulk seed or restore). */
  async rebuildAll(tx: Prisma.TransactionClient): Promise<void> {
    await tx.$executeRaw`TRUNCATE sla_rollup, sla_rollup_filters`;
    await tx.$executeRaw(dayRowsSql(this.places, new Date(0), FAR_FUTURE));
    await tx.$executeRaw(filterDayRowsSql(this.places, new Date(0), FAR_FUTURE));
    const months = await tx.$queryRaw<{ m: string }[]>`
      SELECT DISTINCT to_char(date_trunc('month', day), 'YYYY-MM-DD') AS m FROM sla_rollup`;
    await this.rebuildMonths(
      tx,
      months.map((r) => r.m),
    );
    await this.rebuildDistricts(tx, null);
  }

  /**
   * The rows of a grouping for the slices: of every ministry, or of one (`ministry`). Each
   * grouping has a row per group and ministry (for the ministry filter) besides the row of
   * every ministry (ministry ''); the ministry grouping is the `all` rows by ministry.
   */
  async rows(
    dim: Dimension,
    slices: RollupSlices,
    ministry?: string,
    /** The district rows of one state, or of one district. */
    place: { state?: string; district?: string } = {},
  ): Promise<RollupRow[]> {
    if ((place.state || place.district) && dim !== 'district')
      throw new Error(`the ${dim} rows have no state or district filter`);
    const which = Prisma.join(
      [
        dim === 'ministry'
          ? Prisma.sql`dim = 'all' AND ministry ${ministry ? Prisma.sql`= ${ministry}` : Prisma.sql`<> ''`}`
          : Prisma.sql`dim = ${dim} AND ministry = ${ministry ?? ''}`,
        ...(place.state ? [Prisma.sql`state_code = ${place.state}`] : []),
        ...(place.district ? [Prisma.sql`key = ${place.district}`] : []),
      ],
      ' AND ',
    );
    // A district view reads about 20,000 rows: on the pool without Prisma's query pipeline, and
    // the histograms as text (Prisma's and pg's decoding of int[] took most of the view's time,
    // docs/benchmarks.md).
    const rows = await this.plain<
      Omit<RollupRow, 'resolveDays'> & { resolveDays: string }
    >(Prisma.sql`
      SELECT ${dim === 'ministry' ? Prisma.sql`ministry` : Prisma.sql`key`} AS key,
        state_code AS "stateCode", total, resolved, resolved_within AS "resolvedWithin",
        resolved_late AS "resolvedLate", appealed, feedback_count AS "feedbackCount",
        feedback_sum AS "feedbackSum", resolve_days::text AS "resolveDays"
      FROM sla_rollup
      WHERE ${which} AND ${inSlices(slices)}`);
    return rows.map((r) => ({ ...r, resolveDays: intArray(r.resolveDays) }));
  }

  /**
   * The filters rollup's rows for the slices and filters (not the district: see
   * FilterGrouping), keyed by `by`; summed per key and state by the caller.
   */
  filteredRows(
    by: FilterGrouping,
    slices: RollupSlices,
    f: Omit<GrievanceFilter, 'district'>,
  ): Promise<FilteredRow[]> {
    return this.countedRows('sla_rollup_filters', by, inSlices(slices), f);
  }

  /**
   * The districts rollup's rows of whole IST months (their first days, YYYY-MM-DD) for the
   * filters, keyed by `by`; summed per key and state by the caller.
   */
  districtRows(by: DistrictGrouping, months: string[], f: GrievanceFilter): Promise<FilteredRow[]> {
    if (months.length === 0) return Promise.resolve([]);
    return this.countedRows(
      'sla_rollup_districts',
      by,
      Prisma.sql`month = ANY(${months}::date[])`,
      f,
    );
  }

  private async countedRows(
    table: 'sla_rollup_filters' | 'sla_rollup_districts',
    by: DistrictGrouping,
    when: Prisma.Sql,
    f: GrievanceFilter,
  ): Promise<FilteredRow[]> {
    const conditions = [
      ...(f.portal ? [Prisma.sql`portal = ${f.portal}`] : []),
      ...(f.state ? [Prisma.sql`state_code = ${f.state}`] : []),
      ...(f.district ? [Prisma.sql`district = ${f.district}`] : []),
      ...(f.category ? [Prisma.sql`category = ${f.category}`] : []),
      ...(f.ministry ? [Prisma.sql`ministry = ${f.ministry}`] : []),
    ];
    const key =
      by === 'month'
        ? Prisma.sql`to_char(${Prisma.raw(table === 'sla_rollup_districts' ? 'month' : 'day')}, 'YYYY-MM')`
        : COUNTED_KEY[by];
    const state = by === 'state' || by === 'district' ? Prisma.sql`state_code` : Prisma.sql`''`;
    const rows = await this.plain<
      Omit<FilteredRow, 'resolveDays' | 'ratings'> & { resolveDays: string; ratings: string }
    >(Prisma.sql`
      SELECT ${key} AS key, ${state} AS "stateCode",
        total, resolved, resolved_within AS "resolvedWithin", resolved_late AS "resolvedLate",
        appealed, feedback_count AS "feedbackCount", feedback_sum AS "feedbackSum",
        resolve_days::text AS "resolveDays", ratings::text AS ratings
      FROM ${Prisma.raw(table)}
      WHERE ${when}
        ${conditions.length ? Prisma.sql`AND ${Prisma.join(conditions, ' AND ')}` : Prisma.empty}`);
    return rows.map((r) => ({
      ...r,
      resolveDays: intArray(r.resolveDays),
      ratings: intArray(r.ratings),
    }));
  }

  /** Rows of the `all` dimension for the slices, keyed by their IST month (`YYYY-MM`). */
  monthRows(slices: RollupSlices) {
    return this.prisma.$queryRaw<RollupRow[]>`
      SELECT to_char(day, 'YYYY-MM') AS key, '' AS "stateCode", total, resolved,
        resolved_within AS "resolvedWithin", resolved_late AS "resolvedLate", appealed,
        feedback_count AS "feedbackCount", feedback_sum AS "feedbackSum",
        resolve_days AS "resolveDays"
      FROM sla_rollup
      WHERE dim = 'all' AND ministry = '' AND ${inSlices(slices)}`;
  }

  /** Live: open grievances past their deadline received in [lo, hi), by IST month received. */
  openPastDueByMonth(lo: Date, hi: Date, filter: GrievanceFilter = {}) {
    return this.openPastDue('month', lo, hi, filter);
  }

  /**
   * Live: open grievances received in [lo, hi) whose deadline has passed, keyed like rows()
   * (by IST month received: `month`), of the grievances the filter takes.
   */
  async openPastDue(dim: Dimension | 'month', lo: Date, hi: Date, filter: GrievanceFilter = {}) {
    const conditions = filterConditions(filter);
    const of = conditions.length
      ? Prisma.sql`AND ${Prisma.join(conditions, ' AND ')}`
      : Prisma.empty;
    const key =
      dim === 'month'
        ? Prisma.sql`to_char(created_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM')`
        : KEY_COLUMN[dim];
    return this.reads.prisma.$queryRaw<{ key: string; stateCode: string; n: number }[]>`
      WITH places AS (${this.places})
      SELECT ${key} AS key, ${dim === 'month' ? Prisma.sql`''` : STATE_COLUMN[dim]} AS "stateCode", count(*)::int AS n
      FROM complaints c
      WHERE ${openPastDue('c')} AND ${inPlaces(Prisma.sql`c`)}
        AND created_at >= ${lo} AND created_at < ${hi} ${of}
      GROUP BY 1, 2`;
  }

  weekly(from: string, to: string) {
    return this.reads.prisma.$queryRaw<
      {
        week: string;
        total: number;
        resolved: number;
        resolvedWithin: number;
        resolvedLate: number;
      }[]
    >`
      SELECT to_char(date_trunc('week', day), 'YYYY-MM-DD') AS week, sum(total)::int AS total,
        sum(resolved)::int AS resolved, sum(resolved_within)::int AS "resolvedWithin",
        sum(resolved_late)::int AS "resolvedLate"
      FROM sla_rollup
      WHERE grain = 'day' AND dim = 'all' AND ministry = '' AND day BETWEEN ${from}::date AND ${to}::date
      GROUP BY 1 ORDER BY 1`;
  }
}
