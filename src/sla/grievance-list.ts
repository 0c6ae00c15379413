import { Prisma } from '../generated/prisma/client';

/** The columns every staff list of grievances shows (staff search, SLA breaches). */
export interface ListedGrievance {
  id: string;
  trackingId: string;
  status: string;
  portalCode: string;
  /** The portal's reference from the latest primary dispatch; null before delivery. */
  externalRef: string | null;
  stateCode: string;
  districtCode: string | null;
  category: string;
}

/** Selects the {@link ListedGrievance} columns; needs `complaints c` and {@link PRIMARY_REF_JOIN}. */
export const LISTED_GRIEVANCE_COLUMNS = Prisma.sql`
  c.id, c.tracking_id AS "trackingId", c.status::text AS status,
  c.primary_portal_code AS "portalCode", d.external_ref AS "externalRef",
  c.state_code AS "stateCode", c.district_code AS "districtCode", c.category`;

/** `d.external_ref`: the reference of the latest primary dispatch of `c`, if any. */
export const PRIMARY_REF_JOIN = Prisma.sql`
  LEFT JOIN LATERAL (SELECT external_ref FROM dispatches WHERE complaint_id = c.id AND "primary"
                     ORDER BY created_at DESC LIMIT 1) d ON true`;

/** Where the grievance went and where it came from: the filters both lists offer. */
export interface PlaceFilter {
  portal?: string;
  state?: string;
  district?: string;
}

/** The conditions on `complaints c` for the parts of `f` that are set. */
export function placeConditions(f: PlaceFilter): Prisma.Sql[] {
  return [
    ...(f.portal ? [Prisma.sql`c.primary_portal_code = ${f.portal}`] : []),
    ...(f.state ? [Prisma.sql`c.state_code = ${f.state}`] : []),
    ...(f.district ? [Prisma.sql`c.district_code = ${f.district}`] : []),
  ];
}

/** The analyst's filters: place, plus what the grievance is about and who answers for it. */
export interface GrievanceFilter extends PlaceFilter {
  category?: string;
  /** CPGRAMS organisation code; "-" for grievances without one (state subjects). */
  ministry?: string;
}

/**
 * The ministry key of `complaints` `alias`: its organisation code, '-' for a state subject. Never
 * '' (a stored '' is a state subject too): '' is the SLA rollup's row of every ministry.
 */
export const ministrySql = (alias: Prisma.Sql) =>
  Prisma.sql`coalesce(nullif(${alias}.ministry_code, ''), '-')`;

/** The conditions on `complaints c` for the parts of `f` that are set. */
export function filterConditions(f: GrievanceFilter): Prisma.Sql[] {
  return [
    ...placeConditions(f),
    ...(f.category ? [Prisma.sql`c.category = ${f.category}`] : []),
    // ministrySql's value, written on the column itself so that the planner has its statistics.
    ...(f.ministry === '-'
      ? [Prisma.sql`(c.ministry_code IS NULL OR c.ministry_code = '')`]
      : f.ministry
        ? [Prisma.sql`c.ministry_code = ${f.ministry}`]
        : []),
  ];
}
