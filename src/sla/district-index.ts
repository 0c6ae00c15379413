import type { SlaFigures } from './sla-figures';

/** Days to resolve at which the speed pillar reaches 0 (the pre-2024 CPGRAMS norm). */
export const SPEED_REFERENCE_DAYS = 30;

export const PILLAR_WEIGHTS = { withinSla: 0.4, speed: 0.2, appeals: 0.2, feedback: 0.2 };

export interface RedressalScore {
  score: number | null;
  pillars: {
    withinSla: number | null;
    speed: number | null;
    appeals: number | null;
    feedback: number | null;
  };
}

const clamp = (v: number) => Math.min(100, Math.max(0, v));

/**
 * Redressal score 0..100 of a district (docs/sla.md, "District index"): 40 % grievances redressed
 * within SLA, 20 % speed (median days against 30), 20 % appeals avoided, 20 % citizen rating.
 * A pillar without data drops out and the others are re-weighted; without the within-SLA
 * pillar there is no score.
 */
export function redressalScore(f: SlaFigures): RedressalScore {
  const pillars = {
    withinSla: f.withinSlaPct,
    speed:
      f.medianDaysToResolve === null
        ? null
        : clamp(100 * (1 - f.medianDaysToResolve / SPEED_REFERENCE_DAYS)),
    appeals: f.appealRatePct === null ? null : clamp(100 - f.appealRatePct),
    feedback: f.meanFeedbackRating === null ? null : clamp(((f.meanFeedbackRating - 1) / 4) * 100),
  };
  if (pillars.withinSla === null) return { score: null, pillars };
  let weighted = 0;
  let weights = 0;
  for (const [name, weight] of Object.entries(PILLAR_WEIGHTS)) {
    const value = pillars[name as keyof typeof pillars];
    if (value === null) continue;
    weighted += weight * value;
    weights += weight;
  }
  return { score: Number((weighted / weights).toFixed(1)), pillars };
}
