import { z } from 'zod';
import { positiveInt } from './schema-fields';

/**
 * The grievance-redressal indicators of the District Governance Index, in the order the
 * methodology (docs/governance-index.md) and the exports list them. `lower`: a lower value is
 * better (days, appeals, repeats, transfers).
 */
export const GOVERNANCE_INDICATORS = [
  { id: 'disposalRate', better: 'higher', weight: 0.2 },
  { id: 'withinDeadline', better: 'higher', weight: 0.2 },
  { id: 'medianDaysToDispose', better: 'lower', weight: 0.1 },
  { id: 'satisfaction', better: 'higher', weight: 0.2 },
  { id: 'appealRate', better: 'lower', weight: 0.1 },
  { id: 'appealsUpheld', better: 'lower', weight: 0.05 },
  { id: 'repeatRate', better: 'lower', weight: 0.1 },
  { id: 'transferRate', better: 'lower', weight: 0.05 },
] as const;

export type IndicatorId = (typeof GOVERNANCE_INDICATORS)[number]['id'];

// YAML written through ${VAR:-0.2} arrives as a string.
const weight = z.preprocess(
  (v) => (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v),
  z.number().min(0, 'Expected a weight from 0 to 1').max(1, 'Expected a weight from 0 to 1'),
);

const weights = z
  .strictObject(
    Object.fromEntries(GOVERNANCE_INDICATORS.map((i) => [i.id, weight.default(i.weight)])) as {
      [K in IndicatorId]: z.ZodDefault<typeof weight>;
    },
  )
  .prefault({})
  .superRefine((w, ctx) => {
    const sum = Object.values(w).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-6)
      ctx.addIssue({
        code: 'custom',
        message: `The weights must add up to 1 (they add up to ${Number(sum.toFixed(6))}); an omitted weight takes its default`,
      });
  });

/** `governanceIndex:` in config/sla.yaml (defaults: docs/governance-index.md). */
export const governanceIndexSchema = z
  .strictObject({
    /** Districts that received fewer grievances in the month are listed but not ranked. */
    minGrievances: positiveInt.default(10),
    weights,
  })
  .prefault({});

export type GovernanceIndexConfig = z.output<typeof governanceIndexSchema>;
