import type { Category, RoutingConfig, RoutingRule } from '../platform/config/hub-config';

export interface RoutingInput {
  stateCode: string;
  districtCode: string | null;
  category: string;
  ministryCode: string | null;
}

export interface RoutingDecision {
  /** Portal that owns the grievance and its SLA. */
  primary: string;
  /** Portals that get a copy for monitoring only. */
  mirrors: string[];
  /** CPGRAMS organisation to address; null for a state portal, or the state's own organisation on CPGRAMS. */
  ministryCode: string | null;
  /** Why: a configured rule name, or one of BUILT_IN_RULES (kept in the timeline). */
  rule: string;
}

/** Names of the decisions no configured rule makes; config rule names are kebab-case, so they never clash. */
export const BUILT_IN_RULES = {
  explicitMinistry: 'builtin:explicit-ministry',
  centralCategory: 'builtin:central-category',
  noStatePortal: 'builtin:no-state-portal',
} as const;

/**
 * Decides where a grievance goes. Inputs are assumed validated at intake (known state, district
 * and category); an unknown category is treated as a state subject.
 */
export function routeGrievance(
  input: RoutingInput,
  ctx: { routing: RoutingConfig; categories: Category[] },
): RoutingDecision {
  const { routing } = ctx;
  const central = routing.centralPortal;
  if (input.ministryCode) {
    return {
      primary: central,
      mirrors: [],
      ministryCode: input.ministryCode,
      rule: BUILT_IN_RULES.explicitMinistry,
    };
  }
  const category = ctx.categories.find((c) => c.code === input.category);
  if (category?.level === 'central') {
    return {
      primary: central,
      mirrors: [],
      ministryCode: category.ministry,
      rule: BUILT_IN_RULES.centralCategory,
    };
  }
  const rule = routing.rules.find((r) => matches(r, input));
  if (!rule) {
    return {
      primary: central,
      mirrors: [],
      ministryCode: null,
      rule: BUILT_IN_RULES.noStatePortal,
    };
  }
  const mirror = routing.mirrorStateGrievances;
  const mirrored = mirror.enabled && mirror.portal !== rule.portal && rule.portal !== central;
  return {
    primary: rule.portal,
    mirrors: mirrored ? [mirror.portal] : [],
    ministryCode: null,
    rule: rule.name,
  };
}

function matches(rule: RoutingRule, input: RoutingInput): boolean {
  if (rule.stateCode !== input.stateCode) return false;
  if (rule.districts && !(input.districtCode && rule.districts.includes(input.districtCode)))
    return false;
  if (rule.categories && !rule.categories.includes(input.category)) return false;
  return true;
}
