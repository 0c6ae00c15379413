import { Prisma } from '../generated/prisma/client';

/**
 * `d.status`: the appellate level's decision on the appeal of complaints row `alias`, NULL
 * while pending (or never appealed). The decision is the first portal event after the appeal
 * that reopens the grievance or disposes of it; the hub's and the citizen's entries never are
 * (docs/governance-index.md, "Appeals decided and upheld").
 */
export function appealDecisionJoin(alias: string): Prisma.Sql {
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`not a table alias: ${alias}`);
  const c = Prisma.raw(alias);
  return Prisma.sql`LEFT JOIN LATERAL (
    SELECT e.status FROM status_events e
    WHERE ${c}.appealed_at IS NOT NULL AND e.complaint_id = ${c}.id
      AND e.occurred_at > ${c}.appealed_at AND e.source LIKE 'portal:%'
      AND e.status IN ('IN_PROGRESS', 'RESOLVED', 'REJECTED', 'CLOSED')
    ORDER BY e.occurred_at, e.recorded_at LIMIT 1
  ) d ON true`;
}

/** Upheld: the appeal reopened the grievance or had it disposed of afresh. */
export const APPEAL_UPHELD = Prisma.sql`d.status IN ('IN_PROGRESS', 'RESOLVED')`;
