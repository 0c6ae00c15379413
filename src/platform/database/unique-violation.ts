/**
 * True when a statement sent on the shared pg pool broke the named unique constraint
 * (SQLSTATE 23505): the caller decides what that means (a replay, a portal fault, …).
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === constraint;
}
