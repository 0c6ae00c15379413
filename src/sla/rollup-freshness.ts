/** How often the SLA scheduler refreshes the rollup (the `sla-refresh-rollup` job). */
export const ROLLUP_REFRESH_MS = 60_000;

/** Missed refreshes after which the figures are called stale: one late run is not news. */
export const STALE_AFTER_REFRESHES = 2;

/**
 * When the figures went stale: the last refresh, once it is more than two refresh periods old
 * (a refresh job failing or no worker running); null while they are fresh or were never computed.
 */
export function staleSince(
  refreshedAt: Date | null,
  now: Date,
  everyMs = ROLLUP_REFRESH_MS,
): string | null {
  if (!refreshedAt) return null;
  return now.getTime() - refreshedAt.getTime() > STALE_AFTER_REFRESHES * everyMs
    ? refreshedAt.toISOString()
    : null;
}
