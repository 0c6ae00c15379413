import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';

export interface RepeatProbe {
  mobileLookup: string;
  stateCode: string;
  districtCode: string | null;
  category: string;
  pincode: string;
  /** subject + ' ' + description, as intake stores it in text_key. */
  text: string;
}

/**
 * The statuses in which a grievance is still open for repeat purposes: being handled or about to
 * be. A failed dispatch never reached a portal, so lodging again is not a repeat.
 */
const OPEN = `('RECEIVED','ROUTED','DELIVERED','IN_PROGRESS','TRANSFERRED','APPEALED')`;

/**
 * How many of the most recent candidates are scored: bounds the cost of one intake whatever the
 * table holds (docs/citizen.md#repeats).
 */
export const MAX_CANDIDATES = 100;

/** Grievances lodged before text_key existed have neither it nor concepts: computed for them. */
const KEY = `coalesce(c.text_key, grievance_text_key(c.subject || ' ' || c.description))`;
const CONCEPTS = `CASE WHEN c.text_key IS NULL THEN grievance_concepts(${KEY}) ELSE c.concepts END`;

/**
 * Up to MAX_CANDIDATES of `complaints c` (newest first), with their key and concepts. Unscored:
 * `scored` evaluates the score once per candidate (inlined in a filter and a sort key, the plan
 * evaluated it twice, docs/benchmarks.md#repeat-detection).
 */
const candidates = (from: string) => `
    SELECT c.id, c.tracking_id AS "trackingId", c.cluster_id AS "clusterId", c.created_at,
      ${KEY} AS key, ${CONCEPTS} AS concepts
    ${from}
    ORDER BY c.created_at DESC LIMIT ${MAX_CANDIDATES}`;

/** `rows` scored against the probe, materialised: each score is computed once. */
const scored = (rows: string) => `
    SELECT r.*, grievance_score(r.key, r.concepts, probe.key, probe.concepts) AS score
    FROM ${rows} r, probe`;

/** The best of `rows` (scored) at or above `threshold`. */
const bestOf = (rows: string, threshold: string, column: string) => `
    SELECT ${column} FROM ${rows} WHERE score >= ${threshold}
    ORDER BY score DESC, created_at DESC LIMIT 1`;

/**
 * The district as an index condition: `IS NOT DISTINCT FROM` is not one, and the cluster query
 * then read every grievance of the category in the window, in all districts (docs/benchmarks.md#repeat-detection).
 */
const sameDistrict = (p: RepeatProbe) =>
  p.districtCode === null
    ? `c.district_code IS NULL AND $3::text IS NULL`
    : `c.district_code = $3::text`;

/** The monthly cap's count ($11 null: no cap, nothing read). */
const LODGED = `(SELECT count(*)::int FROM complaints
    WHERE $11::text IS NOT NULL AND mobile_lookup = $1 AND primary_portal_code = $11
      AND created_at >= $12::timestamptz)`;

/**
 * The monthly cap's count, the repeat and the cluster in one statement (one round trip), the new
 * text's key and concepts computed once:
 *  - `lodged`: the grievances the mobile lodged to portal $11 since $12 (null: $11 has no cap);
 *  - `repeat`: the tracking id of the mobile's most similar open grievance at or above $7 ($9:
 *    the citizen said it is not a repeat, none looked for);
 *  - `matchId`, `matchClusterId`: another citizen's grievance about the same problem at the same
 *    place within the window ($8 seconds) at or above $10: both texts must name a problem they
 *    share (a bare "still not fixed" joins no cluster).
 */
const CHECK = (p: RepeatProbe) => `
  WITH probe AS MATERIALIZED (
    SELECT key, grievance_concepts(key) AS concepts FROM grievance_text_key($6::text) AS key
  ), same_mobile AS MATERIALIZED (${scored(
    `(${candidates(`FROM complaints c
    WHERE NOT $9::boolean AND c.mobile_lookup = $1 AND c.state_code = $2 AND ${sameDistrict(p)}
      AND c.category = $4 AND c.pincode = $5 AND c.status::text IN ${OPEN}`)})`,
  )}
  ), other_mobiles AS MATERIALIZED (${scored(
    `(${candidates(`FROM complaints c, probe
    WHERE ${sameDistrict(p)} AND c.state_code = $2 AND c.category = $4 AND c.pincode = $5
      AND c.created_at > now() - make_interval(secs => $8::double precision)
      AND c.mobile_lookup IS DISTINCT FROM $1 AND ${CONCEPTS} && probe.concepts`)})`,
  )}
  ), cluster AS (${bestOf('other_mobiles', '$10', 'id, "clusterId"')})
  SELECT ${LODGED} AS lodged, (${bestOf('same_mobile', '$7', '"trackingId"')}) AS repeat,
    (SELECT id FROM cluster) AS "matchId", (SELECT "clusterId" FROM cluster) AS "matchClusterId",
    probe.key AS "textKey", probe.concepts
  FROM probe`;

/** A text's key and concepts as grievance_text_key / grievance_concepts (SQL) make them. */
export interface TextKey {
  textKey: string;
  concepts: string[];
}

export interface RepeatSettings {
  /** Look for the mobile's own open repeat (false: the citizen said it is not one). */
  lookForRepeat: boolean;
  similarity: number;
  clusterSimilarity: number;
  clusterWindowMs: number;
}

/** A portal's monthly cap to count against: grievances to `portalCode` since `since`. */
export interface CapWindow {
  portalCode: string;
  since: Date;
}

export interface CheckResult extends TextKey {
  /** What the mobile lodged in the cap's window (0 when there is no cap). */
  lodged: number;
  /** The tracking id of the mobile's open repeat, if any. */
  repeat: string | null;
  /** The cluster the new grievance joins: the match's cluster, or the match itself if it has none. */
  match: { id: string; clusterId: string | null } | null;
}

@Injectable()
export class RepeatCheckRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The monthly cap's count, the mobile's open repeat and the most similar other citizen's
   * grievance (the cluster candidate), in one round trip.
   */
  async check(p: RepeatProbe, s: RepeatSettings, cap: CapWindow | null): Promise<CheckResult> {
    const { rows } = await this.prisma.sql<
      {
        lodged: number;
        repeat: string | null;
        matchId: string | null;
        matchClusterId: string | null;
      } & TextKey
    >(CHECK(p), [
      ...params(p),
      s.similarity,
      s.clusterWindowMs / 1000,
      !s.lookForRepeat,
      s.clusterSimilarity,
      cap?.portalCode ?? null,
      cap?.since ?? new Date(0),
    ]);
    const { lodged, repeat, matchId, matchClusterId, textKey, concepts } = rows[0];
    return {
      lodged,
      repeat,
      match: matchId ? { id: matchId, clusterId: matchClusterId } : null,
      textKey,
      concepts,
    };
  }

  /**
   * The first grievance names its cluster (its own id). Two first joiners at once both set the
   * same value.
   */
  async startCluster(id: string): Promise<void> {
    await this.prisma.sql(
      `UPDATE complaints SET cluster_id = id WHERE id = $1::uuid AND cluster_id IS NULL`,
      [id],
    );
  }

  /** Grievances the mobile lodged to `portalCode` since `since` (the cap with the check off). */
  async countSince(mobileLookup: string, { portalCode, since }: CapWindow): Promise<number> {
    const { rows } = await this.prisma.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM complaints
       WHERE mobile_lookup = $1 AND primary_portal_code = $2 AND created_at >= $3`,
      [mobileLookup, portalCode, since],
    );
    return rows[0].n;
  }
}

function params(p: RepeatProbe) {
  return [p.mobileLookup, p.stateCode, p.districtCode, p.category, p.pincode, p.text];
}
