import { DAY_MS } from '../platform/time';
// Deadlines are counted on Indian calendar days (IST has no daylight saving).
const IST_OFFSET_MS = 330 * 60_000;

export type DayType = 'calendar' | 'working';

/** The instant an IST calendar day (YYYY-MM-DD) begins. */
export function istMidnight(day: string): Date {
  return new Date(`${day}T00:00:00+05:30`);
}

/** The IST instants of a range of days: [first day 00:00, day after the last 00:00). */
export function istDays(range: { from: string; to: string }): [Date, Date] {
  return [istMidnight(range.from), new Date(istMidnight(range.to).getTime() + DAY_MS)];
}

/** YYYY-MM-01 of the month after `month` (YYYY-MM-01). */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** YYYY-MM-01 of the month before `month` (YYYY-MM-01). */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
}

/** The IST instants of the months `first` to `last` (first days, YYYY-MM-01): [lo, hi). */
export function istMonths(first: string, last = first): [Date, Date] {
  return [istMidnight(first), istMidnight(nextMonth(last))];
}

/** The IST calendar date of an instant, as YYYY-MM-DD. */
export function istDate(at: Date): string {
  return new Date(at.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);
}

function isWorkingDay(istMidnightUtc: Date, holidays: ReadonlySet<string>): boolean {
  const weekday = istMidnightUtc.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(istMidnightUtc.toISOString().slice(0, 10));
}

/**
 * `days` after `from`. Calendar days are 24-hour periods. Working days skip Saturdays, Sundays
 * and the given holidays (IST dates): the deadline falls at the same IST time of day on the
 * `days`-th working day after the day of `from`.
 */
export function addDays(
  from: Date,
  days: number,
  dayType: DayType,
  holidays: ReadonlySet<string> = new Set(),
): Date {
  if (dayType === 'calendar') return new Date(from.getTime() + days * DAY_MS);
  // Work on the IST wall clock shifted into UTC fields, then shift back.
  const wall = new Date(from.getTime() + IST_OFFSET_MS);
  let counted = 0;
  while (counted < days) {
    wall.setUTCDate(wall.getUTCDate() + 1);
    if (isWorkingDay(wall, holidays)) counted++;
  }
  return new Date(wall.getTime() - IST_OFFSET_MS);
}
