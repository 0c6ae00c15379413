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
 * The best-scoring candidate at or above $7 among `candidates`: the SELECT list and FROM/WHERE of
 * a candidate query over `complaints c` and `probe` (the new text's key and concepts).
 */
const best = (from: string) => `
    SELECT c.id, c.tracking_id AS "trackingId", c.cluster_id AS "clusterId", c.created_at,
      ${KEY} AS key, ${CONCEPTS} AS concepts
    ${from}
    ORDER BY c.created_at DESC LIMIT ${MAX_CANDIDATES}`;

/**
 * The district as an index condition: `IS NOT DISTINCT FROM` is not one, and the cluster query
 * then read every grievance of the category in the window, in all districts (docs/benchmarks.md#repeat-detection).
 */
const sameDistrict = (p: RepeatProbe) =>
  p.districtCode === null
    ? `c.district_code IS NULL AND $3::text IS NULL`
    : `c.district_code = $3::text`;

/**
 * Both checks in one statement, the new text's key and concepts computed once:
 *  - `repeat`: the tracking id of the mobile's most similar open grievance at or above $7 ($9:
 *    the citizen said it is not a repeat, none looked for);
 *  - `matchId`, `matchClusterId`: another citizen's grievance about the same problem at the same
 *    place within the window ($8 seconds) at or above $10: both texts must name a problem they
 *    share (a bare "still not fixed" joins no cluster).
 */
const CHECK = (p: RepeatProbe) => `
  WITH probe AS MATERIALIZED (
    SELECT key, grievance_concepts(key) AS concepts FROM grievance_text_key($6::text) AS key
  ), same_mobile AS (${best(`FROM complaints c
    WHERE NOT $9::boolean AND c.mobile_lookup = $1 AND c.state_code = $2 AND ${sameDistrict(p)}
      AND c.category = $4 AND c.pincode = $5 AND c.status::text IN ${OPEN}`)}
  ), other_mobiles AS (${best(`FROM complaints c, probe
    WHERE ${sameDistrict(p)} AND c.state_code = $2 AND c.category = $4 AND c.pincode = $5
      AND c.created_at > now() - make_interval(secs => $8::double precision)
      AND c.mobile_lookup IS DISTINCT FROM $1 AND ${CONCEPTS} && probe.concepts`)}
  ), repeat AS (
    SELECT s."trackingId" FROM same_mobile s, probe,
      LATERAL (SELECT grievance_score(s.key, s.concepts, probe.key, probe.concepts) AS score) x
    WHERE x.score >= $7 ORDER BY x.score DESC, s.created_at DESC LIMIT 1
  ), cluster AS (
    SELECT o.id, o."clusterId" FROM other_mobiles o, probe,
      LATERAL (SELECT grievance_score(o.key, o.concepts, probe.key, probe.concepts) AS score) x
    WHERE x.score >= $10 ORDER BY x.score DESC, o.created_at DESC LIMIT 1
  )
  SELECT (SELECT "trackingId" FROM repeat) AS repeat, (SELECT id FROM cluster) AS "matchId",
    (SELECT "clusterId" FROM cluster) AS "matchClusterId", probe.key AS "textKey",
    probe.concepts
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

@Injectable()
export class RepeatCheckRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The mobile's open repeat (its tracking id), else the cluster the new grievance joins: the most
   * similar other citizen's grievance's cluster, started on that grievance if it had none (null:
   * no similar grievance in the window). One round trip unless a cluster is started.
   */
  async check(
    p: RepeatProbe,
    s: RepeatSettings,
  ): Promise<{ repeat: string } | ({ repeat: null; clusterId: string | null } & TextKey)> {
    const { rows } = await this.prisma.sql<
      {
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
    ]);
    const { repeat, matchId, matchClusterId, textKey, concepts } = rows[0];
    if (repeat) return { repeat };
    // The new text's key and concepts, computed once here, are what intake stores.
    const key = { textKey, concepts };
    if (!matchId) return { repeat: null, clusterId: null, ...key };
    if (matchClusterId) return { repeat: null, clusterId: matchClusterId, ...key };
    // The first grievance names its cluster. Two first joiners at once both set the same value.
    await this.prisma.sql(
      `UPDATE complaints SET cluster_id = id WHERE id = $1::uuid AND cluster_id IS NULL`,
      [matchId],
    );
    return { repeat: null, clusterId: matchId, ...key };
  }

  /** Grievances the mobile lodged to `portalCode` since `since`. */
  async countSince(mobileLookup: string, portalCode: string, since: Date): Promise<number> {
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
