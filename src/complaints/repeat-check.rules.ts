/** IST is UTC+5:30 all year: a calendar month in India starts at 18:30 UTC the day before. */
const IST_OFFSET_MS = 5.5 * 3_600_000;

/** The calendar month (IST) `now` falls in: its start and the start of the next, as instants. */
export function istMonth(now: Date): { start: Date; next: Date } {
  const ist = new Date(now.getTime() + IST_OFFSET_MS);
  const start = Date.UTC(ist.getUTCFullYear(), ist.getUTCMonth(), 1) - IST_OFFSET_MS;
  const next = Date.UTC(ist.getUTCFullYear(), ist.getUTCMonth() + 1, 1) - IST_OFFSET_MS;
  return { start: new Date(start), next: new Date(next) };
}

/** The IST calendar date of an instant, e.g. 2026-12-01 (what a citizen reads as "resets on"). */
export function istDate(at: Date): string {
  return new Date(at.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);
}

export const secondsUntil = (at: Date, now: Date) =>
  Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
