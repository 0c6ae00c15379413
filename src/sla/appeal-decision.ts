import { Prisma } from '../generated/prisma/client';

/**
 * Upheld: the appeal of complaints row `c` reopened the grievance or had it disposed of afresh.
 * `c.appeal_decision` is the appellate level's decision, kept by the database (the first portal
 * event after the appeal that reopens or disposes of it: hub_appeal_decision and its triggers,
 * migration 20261130026000); NULL while the appeal is pending (docs/governance-index.md,
 * "Appeals decided and upheld").
 */
export const APPEAL_UPHELD = Prisma.sql`c.appeal_decision IN ('IN_PROGRESS', 'RESOLVED')`;
