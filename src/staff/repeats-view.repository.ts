import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';

export interface ClusterRow {
  clusterId: string;
  stateCode: string;
  districtCode: string | null;
  category: string;
  pincode: string;
  size: number;
  open: number;
  firstAt: Date;
  lastAt: Date;
  trackingIds: string[];
}

export interface ComplainantRow {
  complainantKey: string;
  grievances: number;
  open: number;
  lastAt: Date;
  latestTrackingId: string;
}

const OPEN = `('RECEIVED','ROUTED','DELIVERED','IN_PROGRESS','TRANSFERRED','APPEALED')`;

@Injectable()
export class RepeatsViewRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Clusters with a grievance lodged since `since`, largest first. */
  async clusters(since: Date, district: string | null, limit: number): Promise<ClusterRow[]> {
    const { rows } = await this.prisma.sql<ClusterRow>(
      `SELECT c.cluster_id AS "clusterId", min(c.state_code) AS "stateCode",
         min(c.district_code) AS "districtCode", min(c.category) AS category,
         min(c.pincode) AS pincode, count(*)::int AS size,
         count(*) FILTER (WHERE c.status::text IN ${OPEN})::int AS open,
         min(c.created_at) AS "firstAt", max(c.created_at) AS "lastAt",
         (array_agg(c.tracking_id ORDER BY c.created_at))[1:20] AS "trackingIds"
       FROM complaints c
       WHERE c.cluster_id IN (SELECT cluster_id FROM complaints
                              WHERE cluster_id IS NOT NULL AND created_at >= $1)
         AND ($2::text IS NULL OR c.district_code = $2)
       GROUP BY c.cluster_id
       ORDER BY count(*) DESC, max(c.created_at) DESC
       LIMIT $3`,
      [since, district, limit],
    );
    return rows;
  }

  /** Complainants (keyed hash of the mobile) with at least `min` grievances since `since`. */
  async complainants(since: Date, min: number, limit: number): Promise<ComplainantRow[]> {
    const { rows } = await this.prisma.sql<ComplainantRow>(
      `SELECT mobile_lookup AS "complainantKey", count(*)::int AS grievances,
         count(*) FILTER (WHERE status::text IN ${OPEN})::int AS open,
         max(created_at) AS "lastAt",
         (array_agg(tracking_id ORDER BY created_at DESC))[1] AS "latestTrackingId"
       FROM complaints
       WHERE created_at >= $1 AND mobile_lookup IS NOT NULL
       GROUP BY mobile_lookup
       HAVING count(*) >= $2
       ORDER BY count(*) DESC, max(created_at) DESC
       LIMIT $3`,
      [since, min, limit],
    );
    return rows;
  }
}
