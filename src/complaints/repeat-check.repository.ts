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
 * The best-scoring candidate at or above $7; `$6` is the new text, `where` filters candidates
 * (it may use probe.key and probe.concepts).
 */
const best = (where: string, columns: string) => `
  WITH probe AS (
    SELECT key, grievance_concepts(key) AS concepts FROM grievance_text_key($6::text) AS key
  ), candidates AS (
    SELECT c.id, c.tracking_id AS "trackingId", c.cluster_id AS "clusterId", c.created_at,
      ${KEY} AS key, ${CONCEPTS} AS concepts
    FROM complaints c, probe
    WHERE ${where}
    ORDER BY c.created_at DESC LIMIT ${MAX_CANDIDATES}
  ), scored AS (
    SELECT candidates.*, grievance_score(candidates.key, candidates.concepts,
      probe.key, probe.concepts) AS score
    FROM candidates, probe)
  SELECT ${columns} FROM scored WHERE score >= $7
  ORDER BY score DESC, created_at DESC LIMIT 1`;

const SAME_MOBILE_OPEN = best(
  `c.mobile_lookup = $1 AND c.state_code = $2 AND c.district_code IS NOT DISTINCT FROM $3
   AND c.category = $4 AND c.pincode = $5 AND c.status::text IN ${OPEN}`,
  `"trackingId"`,
);

/**
 * Another citizen's grievance about the same problem at the same place within the window ($8
 * seconds): both texts must name a problem they share (a bare "still not fixed" joins no cluster).
 */
const CLUSTER_CANDIDATE = best(
  `c.district_code IS NOT DISTINCT FROM $3 AND c.state_code = $2 AND c.category = $4
   AND c.pincode = $5 AND c.created_at > now() - make_interval(secs => $8::double precision)
   AND c.mobile_lookup IS DISTINCT FROM $1 AND ${CONCEPTS} && probe.concepts`,
  `id, "clusterId"`,
);

@Injectable()
export class RepeatCheckRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The tracking id of the mobile's most similar open grievance at or above `threshold`. */
  async findOpenRepeat(p: RepeatProbe, threshold: number): Promise<string | null> {
    const { rows } = await this.prisma.sql<{ trackingId: string }>(SAME_MOBILE_OPEN, [
      ...params(p),
      threshold,
    ]);
    return rows[0]?.trackingId ?? null;
  }

  /**
   * The cluster the new grievance joins: the most similar other citizen's grievance's cluster,
   * started on that grievance if it had none. Null: no similar grievance in the window.
   */
  async clusterFor(p: RepeatProbe, threshold: number, windowMs: number): Promise<string | null> {
    const { rows } = await this.prisma.sql<{ id: string; clusterId: string | null }>(
      CLUSTER_CANDIDATE,
      [...params(p), threshold, windowMs / 1000],
    );
    const match = rows[0];
    if (!match) return null;
    if (match.clusterId) return match.clusterId;
    // The first grievance names its cluster. Two first joiners at once both set the same value.
    await this.prisma.sql(
      `UPDATE complaints SET cluster_id = id WHERE id = $1::uuid AND cluster_id IS NULL`,
      [match.id],
    );
    return match.id;
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
