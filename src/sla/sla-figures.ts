/** Sums of the rollup for one group, plus the live count of open grievances past their deadline. */
export interface GroupSums {
  total: number;
  resolved: number;
  resolvedWithin: number;
  resolvedLate: number;
  appealed: number;
  feedbackCount: number;
  feedbackSum: number;
  /** resolveDays[i]: grievances resolved in i days (ceil). */
  resolveDays: number[];
  openPastDue: number;
}

export interface SlaFigures {
  total: number;
  open: number;
  resolved: number;
  /** Open past the deadline + resolved after it. */
  breached: number;
  openPastDue: number;
  resolvedLate: number;
  /** Of the grievances whose outcome is known (resolved, or open past due): resolved in time. */
  withinSlaPct: number | null;
  /** Mean days to resolve (each rounded up to whole days, capped at 180 as in the histogram). */
  meanDaysToResolve: number | null;
  medianDaysToResolve: number | null;
  p90DaysToResolve: number | null;
  /** Appeals per resolved grievance. */
  appealRatePct: number | null;
  meanFeedbackRating: number | null;
}

export const emptySums = (): GroupSums => ({
  total: 0,
  resolved: 0,
  resolvedWithin: 0,
  resolvedLate: 0,
  appealed: 0,
  feedbackCount: 0,
  feedbackSum: 0,
  resolveDays: [],
  openPastDue: 0,
});

export function addSums(into: GroupSums, row: Omit<GroupSums, 'openPastDue'>): GroupSums {
  into.total += row.total;
  into.resolved += row.resolved;
  into.resolvedWithin += row.resolvedWithin;
  into.resolvedLate += row.resolvedLate;
  into.appealed += row.appealed;
  into.feedbackCount += row.feedbackCount;
  into.feedbackSum += row.feedbackSum;
  // Plain loops over a packed array: a district view adds about 20,000 histograms.
  const hist = into.resolveDays;
  const add = row.resolveDays;
  while (hist.length < add.length) hist.push(0);
  for (let i = 0; i < add.length; i++) hist[i] += add[i] ?? 0;
  return into;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const pct = (part: number, whole: number) => (whole > 0 ? round((100 * part) / whole, 1) : null);

/**
 * The p-th percentile (0..1) of the values a histogram counts, interpolated between the two
 * nearest values exactly as PostgreSQL's percentile_cont does.
 */
export function histogramPercentile(hist: readonly number[], p: number): number | null {
  const n = hist.reduce((a, b) => a + (b ?? 0), 0);
  if (n === 0) return null;
  const position = p * (n - 1);
  const lower = valueAtRank(hist, Math.floor(position));
  const upper = valueAtRank(hist, Math.ceil(position));
  return round(lower + (position - Math.floor(position)) * (upper - lower), 2);
}

/** The mean of the values a histogram counts. */
export function histogramMean(hist: readonly number[]): number | null {
  let n = 0;
  let sum = 0;
  hist.forEach((count, value) => {
    n += count ?? 0;
    sum += (count ?? 0) * value;
  });
  return n === 0 ? null : round(sum / n, 2);
}

function valueAtRank(hist: readonly number[], rank: number): number {
  let seen = 0;
  for (let value = 0; value < hist.length; value++) {
    seen += hist[value] ?? 0;
    if (seen > rank) return value;
  }
  return hist.length - 1;
}

export function slaFigures(s: GroupSums): SlaFigures {
  return {
    total: s.total,
    open: s.total - s.resolved,
    resolved: s.resolved,
    breached: s.openPastDue + s.resolvedLate,
    openPastDue: s.openPastDue,
    resolvedLate: s.resolvedLate,
    withinSlaPct: pct(s.resolvedWithin, s.resolved + s.openPastDue),
    meanDaysToResolve: histogramMean(s.resolveDays),
    medianDaysToResolve: histogramPercentile(s.resolveDays, 0.5),
    p90DaysToResolve: histogramPercentile(s.resolveDays, 0.9),
    appealRatePct: pct(s.appealed, s.resolved),
    meanFeedbackRating: s.feedbackCount > 0 ? round(s.feedbackSum / s.feedbackCount, 2) : null,
  };
}
