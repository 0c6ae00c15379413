import { Prisma } from '../generated/prisma/client';

/**
 * "Open and past its deadline" for the complaints row `alias`: unresolved, with a deadline
 * before `at` (the database's now() when omitted).
 *
 * The first two terms are complaints_open_due_idx's WHERE clause word for word, so the planner
 * can use that partial index. They also keep the predicate two-valued: without a deadline it is
 * false, never NULL, so `NOT (…)` is exactly "everything else".
 */
export function openPastDue(alias: string, at?: Date): Prisma.Sql {
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`not a table alias: ${alias}`);
  const c = Prisma.raw(alias);
  const before = at ?? Prisma.sql`now()`;
  return Prisma.sql`${c}.resolved_at IS NULL AND ${c}.sla_due_at IS NOT NULL AND ${c}.sla_due_at < ${before}`;
}
