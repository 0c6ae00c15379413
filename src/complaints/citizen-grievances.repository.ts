import { Injectable } from '@nestjs/common';
import type { CanonicalStatus } from '../../adapters/adapter';
import { PrismaService } from '../platform/database/prisma.service';

/** The most recent grievances a citizen's list shows (a habitual complainant has thousands). */
export const CITIZEN_LIST_LIMIT = 100;

export interface CitizenGrievanceRow {
  trackingId: string;
  subject: string;
  category: string;
  status: CanonicalStatus;
  primaryPortalCode: string;
  externalRef: string | null;
  slaDueAt: Date | null;
  createdAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  feedbackAt: Date | null;
  appealedAt: Date | null;
  mobileVerified: boolean;
  lastReminderAt: Date | null;
  othersReported: number;
}

@Injectable()
export class CitizenGrievancesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Every grievance lodged with the mobile (its keyed hash), whichever channel took it. */
  listByMobile(mobileLookup: string): Promise<CitizenGrievanceRow[]> {
    return this.prisma.$queryRaw<CitizenGrievanceRow[]>`
      SELECT c.tracking_id AS "trackingId", c.subject, c.category, c.status::text AS status,
        c.primary_portal_code AS "primaryPortalCode", d.external_ref AS "externalRef",
        c.sla_due_at AS "slaDueAt", c.created_at AS "createdAt", c.resolved_at AS "resolvedAt",
        c.closed_at AS "closedAt", c.feedback_at AS "feedbackAt", c.appealed_at AS "appealedAt",
        c.mobile_verified AS "mobileVerified",
        (SELECT max(r.created_at) FROM portal_requests r
          WHERE r.complaint_id = c.id AND r.kind = 'reminder') AS "lastReminderAt",
        (SELECT count(*)::int FROM complaints o
          WHERE o.cluster_id = c.cluster_id AND o.id <> c.id) AS "othersReported"
      FROM complaints c
      LEFT JOIN dispatches d ON d.complaint_id = c.id AND d."primary"
      WHERE c.mobile_lookup = ${mobileLookup}
      ORDER BY c.created_at DESC, c.id
      LIMIT ${CITIZEN_LIST_LIMIT}`;
  }

  /** Replaces the access token's hash of the mobile's grievance; false when it is not theirs. */
  async replaceAccessToken(
    trackingId: string,
    mobileLookup: string,
    accessTokenHash: string,
  ): Promise<boolean> {
    const { count } = await this.prisma.complaint.updateMany({
      where: { trackingId, mobileLookup },
      data: { accessTokenHash },
    });
    return count === 1;
  }
}
