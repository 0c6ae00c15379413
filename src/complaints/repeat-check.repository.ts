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

/** Old grievances have no text_key (lodged before it existed): computed for them on the fly. */
const KEY = `coalesce(c.text_key, grievance_text_key(c.subject || ' ' || c.description))`;

const SAME_MOBILE_OPEN = `
  SELECT c.tracking_id AS "trackingId"
  FROM complaints c
  WHERE c.mobile_lookup = $1 AND c.state_code = $2 AND c.district_code IS NOT DISTINCT FROM $3
    AND c.category = $4 AND c.pincode = $5 AND c.status::text IN ${OPEN}
    AND grievance_similarity_of_keys(${KEY}, grievance_text_key($6)) >= $7
  ORDER BY grievance_similarity_of_keys(${KEY}, grievance_text_key($6)) DESC, c.created_at DESC
  LIMIT 1`;

/**
 * Another citizen's grievance about the same problem at the same place within the window; the
 * new text must name a problem (a bare "still not fixed" joins no cluster).
 */
const CLUSTER_CANDIDATE = `
  SELECT c.id, c.cluster_id AS "clusterId"
  FROM complaints c
  WHERE c.district_code IS NOT DISTINCT FROM $3 AND c.state_code = $2 AND c.category = $4
    AND c.pincode = $5 AND c.created_at > now() - make_interval(secs => $8)
    AND c.mobile_lookup IS DISTINCT FROM $1
    AND cardinality(grievance_concepts(grievance_text_key($6))) > 0
    AND grievance_similarity_of_keys(${KEY}, grievance_text_key($6)) >= $7
  ORDER BY grievance_similarity_of_keys(${KEY}, grievance_text_key($6)) DESC, c.created_at
  LIMIT 1`;

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
