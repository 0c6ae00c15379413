import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../platform/database/prisma.service';

export interface SearchFilter {
  status?: string;
  portal?: string;
  state?: string;
  district?: string;
  overdue?: boolean;
  /** Exact tracking id or portal reference. */
  ref?: string;
  mobileLookup?: string;
}

export interface SearchRow {
  id: string;
  trackingId: string;
  status: string;
  portalCode: string;
  externalRef: string | null;
  stateCode: string;
  districtCode: string | null;
  category: string;
  subject: string;
  createdAt: Date;
  slaDueAt: Date | null;
  resolvedAt: Date | null;
  complainantCipher: Uint8Array | null;
}

@Injectable()
export class StaffRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Newest first, keyset on (created_at, id). */
  search(f: SearchFilter, before: { createdAt: Date; id: string } | null, limit: number) {
    const where = [
      Prisma.sql`true`,
      ...(f.status ? [Prisma.sql`c.status = ${f.status}::"ComplaintStatus"`] : []),
      ...(f.portal ? [Prisma.sql`c.primary_portal_code = ${f.portal}`] : []),
      ...(f.state ? [Prisma.sql`c.state_code = ${f.state}`] : []),
      ...(f.district ? [Prisma.sql`c.district_code = ${f.district}`] : []),
      ...(f.overdue === true
        ? [Prisma.sql`c.resolved_at IS NULL AND c.sla_due_at < now()`]
        : f.overdue === false
          ? [Prisma.sql`NOT (c.resolved_at IS NULL AND c.sla_due_at < now())`]
          : []),
      ...(f.ref
        ? [
            Prisma.sql`(c.tracking_id = ${f.ref} OR c.id IN (SELECT complaint_id FROM dispatches WHERE external_ref = ${f.ref}))`,
          ]
        : []),
      ...(f.mobileLookup ? [Prisma.sql`c.mobile_lookup = ${f.mobileLookup}`] : []),
      ...(before
        ? [Prisma.sql`(c.created_at, c.id) < (${before.createdAt}, ${before.id}::uuid)`]
        : []),
    ];
    return this.prisma.$queryRaw<SearchRow[]>`
      SELECT c.id, c.tracking_id AS "trackingId", c.status::text AS status,
        c.primary_portal_code AS "portalCode", d.external_ref AS "externalRef",
        c.state_code AS "stateCode", c.district_code AS "districtCode", c.category, c.subject,
        c.created_at AS "createdAt", c.sla_due_at AS "slaDueAt", c.resolved_at AS "resolvedAt",
        c.complainant_cipher AS "complainantCipher"
      FROM complaints c
      LEFT JOIN LATERAL (SELECT external_ref FROM dispatches WHERE complaint_id = c.id AND "primary"
                         ORDER BY created_at DESC LIMIT 1) d ON true
      WHERE ${Prisma.join(where, ' AND ')}
      ORDER BY c.created_at DESC, c.id DESC
      LIMIT ${limit}`;
  }

  findByTrackingId(trackingId: string) {
    return this.prisma.snapshot((tx) =>
      tx.complaint.findUnique({
        where: { trackingId },
        include: {
          dispatches: { orderBy: { createdAt: 'asc' } },
          statusEvents: { orderBy: [{ occurredAt: 'asc' }, { recordedAt: 'asc' }] },
          slaActions: {
            orderBy: { actedAt: 'asc' },
            // How sending the level's reminder went (state, attempts, last error).
            include: {
              portalRequest: {
                select: { state: true, attempts: true, lastError: true, sentAt: true },
              },
            },
          },
        },
      }),
    );
  }

  findDispatch(id: string) {
    return this.prisma.dispatch.findUnique({ where: { id } });
  }

  /**
   * DISPATCH_FAILED → PENDING with a fresh attempt budget; a primary dispatch moves its
   * complaint back to ROUTED with a timeline entry naming who retried. False if not failed.
   */
  async resetFailedDispatch(id: string, actor: string): Promise<{ portalCode: string } | null> {
    return this.prisma.$transaction(async (tx) => {
      const [dispatch] = await tx.$queryRaw<
        { complaintId: string; portalCode: string; primary: boolean }[]
      >`
        UPDATE dispatches SET status = 'PENDING', attempts = 0, last_error = NULL, failed_at = NULL,
          updated_at = now()
        WHERE id = ${id}::uuid AND status = 'DISPATCH_FAILED'
        RETURNING complaint_id AS "complaintId", portal_code AS "portalCode", "primary"`;
      if (!dispatch) return null;
      if (dispatch.primary) {
        await tx.$executeRaw`
          WITH moved AS (
            UPDATE complaints SET status = 'ROUTED', updated_at = now()
            WHERE id = ${dispatch.complaintId}::uuid AND status = 'DISPATCH_FAILED' RETURNING id)
          INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
          SELECT gen_random_uuid(), id, 'ROUTED', 'staff', ${dispatch.portalCode},
            ${`Delivery to ${dispatch.portalCode} retried by staff (${actor})`}, now()
          FROM moved`;
      }
      return { portalCode: dispatch.portalCode };
    });
  }

  /** Per portal, from the dispatches indexes: last delivery, last-24h outcomes, backlog. */
  portalStats(codes: string[]) {
    return this.prisma.$queryRaw<
      {
        portalCode: string;
        lastDeliveryAt: Date | null;
        delivered24h: number;
        failed24h: number;
        pending: number;
        failedOpen: number;
      }[]
    >`
      SELECT p.code AS "portalCode",
        (SELECT max(delivered_at) FROM dispatches WHERE portal_code = p.code) AS "lastDeliveryAt",
        (SELECT count(*)::int FROM dispatches WHERE portal_code = p.code
           AND delivered_at > now() - interval '24 hours') AS "delivered24h",
        (SELECT count(*)::int FROM dispatches WHERE portal_code = p.code AND status = 'DISPATCH_FAILED'
           AND failed_at > now() - interval '24 hours') AS "failed24h",
        (SELECT count(*)::int FROM dispatches WHERE portal_code = p.code AND status = 'PENDING') AS pending,
        (SELECT count(*)::int FROM dispatches WHERE portal_code = p.code
           AND status = 'DISPATCH_FAILED') AS "failedOpen"
      FROM unnest(${codes}::text[]) AS p(code)`;
  }
}
