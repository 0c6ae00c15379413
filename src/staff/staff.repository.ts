import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import type { KeysetPosition } from '../platform/database/keyset';
import { COMPLAINT_HISTORY } from '../complaints/complaints.repository';
import { PrismaService } from '../platform/database/prisma.service';
import { ReadDatabase } from '../platform/database/read-database';
import {
  LISTED_GRIEVANCE_COLUMNS,
  type ListedGrievance,
  PRIMARY_REF_JOIN,
  type PlaceFilter,
  placeConditions,
} from '../sla/grievance-list';
import { openPastDue } from '../sla/open-past-due';

export interface SearchFilter extends PlaceFilter {
  status?: string;
  overdue?: boolean;
  /** Exact tracking id or portal reference. */
  ref?: string;
  mobileLookup?: string;
}

export interface SearchRow extends ListedGrievance {
  subject: string;
  createdAt: Date;
  slaDueAt: Date | null;
  resolvedAt: Date | null;
  complainantCipher: Uint8Array | null;
  /** Lodged with a citizen session of the mobile (src/citizen). */
  mobileVerified: boolean;
}

/** overdue=true: open past the deadline; false: its exact complement (two-valued predicate). */
function overdueCondition(overdue: boolean | undefined): Prisma.Sql[] {
  if (overdue === undefined) return [];
  return overdue ? [openPastDue('c')] : [Prisma.sql`NOT (${openPastDue('c')})`];
}

/**
 * Every portal code the dispatches hold (a configured portal or one taken out of the
 * configuration since), read as a skip scan of the (portal, reference) index: one index probe per
 * portal, not a read of the table.
 */
const PORTALS_WITH_DISPATCHES = Prisma.sql`
  WITH RECURSIVE p(code) AS (
    SELECT min(portal_code) FROM dispatches
    UNION ALL
    SELECT (SELECT min(portal_code) FROM dispatches WHERE portal_code > p.code)
    FROM p WHERE p.code IS NOT NULL)
  SELECT code FROM p WHERE code IS NOT NULL`;

/**
 * The staff search's statement. A tracking id or portal reference (`ref`) is looked up first —
 * the grievance by tracking id, the dispatches by (portal, reference) for each portal that has
 * dispatches, both unique indexes — and the grievances joined by id. Written as `tracking_id = $
 * OR id IN (…)`, no index could take it: the search walked the grievances newest first until it
 * met the one (at 10 M, for an old one, most of the table), and the dispatches by reference alone
 * had no index (the unique key leads with the portal).
 */
export function searchSql(
  f: SearchFilter,
  before: KeysetPosition | null,
  limit: number,
): Prisma.Sql {
  const where = [
    Prisma.sql`true`,
    ...(f.status ? [Prisma.sql`c.status = ${f.status}::"ComplaintStatus"`] : []),
    ...placeConditions(f),
    ...overdueCondition(f.overdue),
    ...(f.ref
      ? [
          Prisma.sql`c.id IN (SELECT id FROM complaints WHERE tracking_id = ${f.ref}
            UNION ALL SELECT complaint_id FROM dispatches
              WHERE portal_code = ANY (ARRAY(${PORTALS_WITH_DISPATCHES})) AND external_ref = ${f.ref})`,
        ]
      : []),
    ...(f.mobileLookup ? [Prisma.sql`c.mobile_lookup = ${f.mobileLookup}`] : []),
    ...(before ? [Prisma.sql`(c.created_at, c.id) < (${before.at}, ${before.id}::uuid)`] : []),
  ];
  return Prisma.sql`
    SELECT ${LISTED_GRIEVANCE_COLUMNS}, c.subject,
      c.created_at AS "createdAt", c.sla_due_at AS "slaDueAt", c.resolved_at AS "resolvedAt",
      c.complainant_cipher AS "complainantCipher", c.mobile_verified AS "mobileVerified"
    FROM complaints c
    ${PRIMARY_REF_JOIN}
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY c.created_at DESC, c.id DESC
    LIMIT ${limit}`;
}

@Injectable()
export class StaffRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly reads: ReadDatabase,
  ) {}

  /**
   * Newest first, keyset on (created_at, id); `before`: the previous page's last row. On the
   * read replica when there is one: a list may lag the primary by the replay delay.
   */
  search(f: SearchFilter, before: KeysetPosition | null, limit: number) {
    return this.reads.prisma.$queryRaw<SearchRow[]>(searchSql(f, before, limit));
  }

  /** Only what unmasking needs: not the dispatches, timeline and SLA actions of the detail. */
  findCipherByTrackingId(trackingId: string) {
    return this.prisma.complaint.findUnique({
      where: { trackingId },
      select: { id: true, complainantCipher: true },
    });
  }

  findByTrackingId(trackingId: string) {
    return this.prisma.snapshot((tx) =>
      tx.complaint.findUnique({
        where: { trackingId },
        include: {
          ...COMPLAINT_HISTORY,
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

  /**
   * Per portal, from the dispatches indexes: last delivery, last-24h outcomes, backlog (on the
   * read replica when there is one).
   */
  portalStats(codes: string[]) {
    return this.reads.prisma.$queryRaw<
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
