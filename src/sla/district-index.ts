import {
  GOVERNANCE_INDICATORS,
  type GovernanceIndexConfig,
  type IndicatorId,
} from '../platform/config/governance-index.schema';

export { GOVERNANCE_INDICATORS, type IndicatorId };

/** One district's raw indicator values for one month; null: no data (or not measured yet). */
export type IndicatorValues = Record<IndicatorId, number | null>;

export interface DistrictIndicators {
  key: string;
  /** Grievances received in the month: the volume that decides whether the district ranks. */
  received: number;
  values: IndicatorValues;
}

/** Why a district has no score. */
export type Unranked = 'too-few-grievances' | 'no-indicator';

export interface DistrictScore {
  key: string;
  received: number;
  values: IndicatorValues;
  /** Each indicator min–max normalised across the ranked districts: 0 worst, 1 best. */
  normalised: IndicatorValues;
  /** 0..100: the weighted mean of the normalised indicators the district has, × 100. */
  score: number | null;
  /** 1 = best; districts with equal scores share a rank (1, 2, 2, 4). */
  rank: number | null;
  unranked: Unranked | null;
}

export interface DistrictTrend {
  previousScore: number | null;
  previousRank: number | null;
  /** score − previousScore. */
  scoreChange: number | null;
  /** previousRank − rank: positive means the district moved up. */
  rankChange: number | null;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/**
 * Min–max normalisation as the Good Governance Index does it: (x − min) / (max − min) where a
 * higher value is better, (max − x) / (max − min) where a lower one is. Nulls stay null and do
 * not count towards min and max. When every value is equal the indicator does not tell the
 * districts apart: each gets 1 (no district is penalised for it).
 */
export function normalise(
  values: (number | null)[],
  better: 'higher' | 'lower',
): (number | null)[] {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return values.map(() => null);
  const min = Math.min(...present);
  const max = Math.max(...present);
  return values.map((v) => {
    if (v === null) return null;
    if (max === min) return 1;
    return round(better === 'higher' ? (v - min) / (max - min) : (max - v) / (max - min), 4);
  });
}

/**
 * The weighted mean of the indicators that have a value, × 100 (one decimal). An indicator
 * without a value (no ratings in the month, repeats not measured yet) drops out and the other
 * weights are scaled up to sum to 1; with no weighted indicator at all there is no score.
 */
export function weightedScore(
  normalised: IndicatorValues,
  weights: GovernanceIndexConfig['weights'],
): number | null {
  let sum = 0;
  let total = 0;
  for (const { id } of GOVERNANCE_INDICATORS) {
    const value = normalised[id];
    if (value === null || weights[id] === 0) continue;
    sum += weights[id] * value;
    total += weights[id];
  }
  return total === 0 ? null : round((100 * sum) / total, 1);
}

/** Competition ranking, best score first: equal scores share a rank and the next one skips. */
export function rankScores(scores: (number | null)[]): (number | null)[] {
  return scores.map((s) =>
    s === null ? null : 1 + scores.filter((o) => o !== null && o > s).length,
  );
}

/**
 * Scores and ranks the districts of one state for one month. Districts that received fewer
 * than `minGrievances` are listed without a score and take no part in min and max (a district
 * with three grievances would otherwise set the scale for everyone).
 */
export function scoreDistricts(
  districts: DistrictIndicators[],
  config: GovernanceIndexConfig,
): DistrictScore[] {
  const eligible = districts.filter((d) => d.received >= config.minGrievances);
  const normalisedById = new Map<string, IndicatorValues>(
    eligible.map((d) => [d.key, {} as IndicatorValues]),
  );
  for (const { id, better } of GOVERNANCE_INDICATORS) {
    const column = normalise(
      eligible.map((d) => d.values[id]),
      better,
    );
    eligible.forEach((d, i) => (normalisedById.get(d.key)![id] = column[i]));
  }
  const empty = Object.fromEntries(
    GOVERNANCE_INDICATORS.map((i) => [i.id, null]),
  ) as IndicatorValues;
  const scored = districts.map((d) => {
    const normalised = normalisedById.get(d.key);
    const score = normalised ? weightedScore(normalised, config.weights) : null;
    const unranked: Unranked | null = !normalised
      ? 'too-few-grievances'
      : score === null
        ? 'no-indicator'
        : null;
    return { ...d, normalised: normalised ?? empty, score, unranked };
  });
  const ranks = rankScores(scored.map((d) => d.score));
  return scored
    .map((d, i) => ({ ...d, rank: ranks[i] }))
    .sort(
      (a, b) =>
        (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
        b.received - a.received ||
        a.key.localeCompare(b.key),
    );
}

/** The change of each district against its score and rank in the previous period. */
export function trend(
  current: Pick<DistrictScore, 'key' | 'score' | 'rank'>,
  previous: Pick<DistrictScore, 'key' | 'score' | 'rank'>[],
): DistrictTrend {
  const before = previous.find((p) => p.key === current.key);
  const previousScore = before?.score ?? null;
  const previousRank = before?.rank ?? null;
  return {
    previousScore,
    previousRank,
    scoreChange:
      current.score === null || previousScore === null
        ? null
        : round(current.score - previousScore, 1),
    rankChange: current.rank === null || previousRank === null ? null : previousRank - current.rank,
  };
}
