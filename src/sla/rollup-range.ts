import { DAY_MS } from '../platform/time';

/** IST calendar dates, YYYY-MM-DD, inclusive at both ends. */
export interface DateRange {
  from: string;
  to: string;
}

export interface RollupSlices {
  /** First days of the months lying wholly inside the range: read from month rows. */
  months: string[];
  /** The partial months at either end: read from day rows. */
  days: DateRange[];
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (s: string) => new Date(`${s}T00:00:00Z`);

function addMonths(d: Date, n: number): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
}

function lastDayOfMonth(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
}

/**
 * Splits a date range into whole months (one rollup row per group and month) and the days at
 * the edges (one row per group and day), so a two-year summary reads ~24 rows per group
 * instead of ~730 — and stays exact to the day.
 */
export function rollupSlices(range: DateRange, today?: string): RollupSlices {
  const from = utc(range.from);
  // Nothing is received after today, so a range reaching today covers the rest of its month
  // too: the current month's row (kept up to date with its days) answers instead of its days.
  const to = today && range.to >= today ? lastDayOfMonth(utc(range.to)) : utc(range.to);
  if (from > to) return { months: [], days: [] };
  const firstWhole = from.getUTCDate() === 1 ? from : addMonths(from, 1);
  const months: string[] = [];
  for (let m = firstWhole; lastDayOfMonth(m) <= to; m = addMonths(m, 1)) months.push(iso(m));
  if (months.length === 0) return { months, days: [{ from: range.from, to: iso(to) }] };
  const days: DateRange[] = [];
  const firstMonth = utc(months[0]);
  const endOfLast = lastDayOfMonth(utc(months[months.length - 1]));
  if (from < firstMonth)
    days.push({ from: range.from, to: iso(new Date(firstMonth.getTime() - DAY_MS)) });
  if (endOfLast < to) days.push({ from: iso(new Date(endOfLast.getTime() + DAY_MS)), to: iso(to) });
  return { months, days };
}
