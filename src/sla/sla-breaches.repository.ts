import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../platform/database/prisma.service';

export interface BreachFilter {
  portal?: string;
  state?: string;
  district?: string;
}

export interface BreachRow {
  id: string;
  trackingId: string;
  status: string;
  portalCode: string;
  externalRef: string | null;
  stateCode: string;
  districtCode: string | null;
  category: string;
  createdAt: Date;
  deliveredAt: Date | null;
  slaDueAt: Date;
}

/** Open grievances past their deadline, oldest deadline first, by keyset on (sla_due_at, id). */
@Injectable()
export class SlaBreachesRepository {
  constructor(private readonly prisma: PrismaService) {}

  page(f: BreachFilter, after: { dueAt: Date; id: string } | null, limit: number) {
    const conditions = [
      Prisma.sql`c.resolved_at IS NULL AND c.sla_due_at IS NOT NULL AND c.sla_due_at < now()`,
      ...(f.portal ? [Prisma.sql`c.primary_portal_code = ${f.portal}`] : []),
      ...(f.state ? [Prisma.sql`c.state_code = ${f.state}`] : []),
      ...(f.district ? [Prisma.sql`c.district_code = ${f.district}`] : []),
      ...(after ? [Prisma.sql`(c.sla_due_at, c.id) > (${after.dueAt}, ${after.id}::uuid)`] : []),
    ];
    return this.prisma.$queryRaw<BreachRow[]>`
      SELECT c.id, c.tracking_id AS "trackingId", c.status::text AS status,
        c.primary_portal_code AS "portalCode", d.external_ref AS "externalRef",
        c.state_code AS "stateCode", c.district_code AS "districtCode", c.category,
        c.created_at AS "createdAt", c.delivered_at AS "deliveredAt", c.sla_due_at AS "slaDueAt"
      FROM complaints c
      LEFT JOIN LATERAL (SELECT external_ref FROM dispatches
                         WHERE complaint_id = c.id AND "primary"
                         ORDER BY created_at DESC LIMIT 1) d ON true
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY c.sla_due_at, c.id
      LIMIT ${limit}`;
  }
}
