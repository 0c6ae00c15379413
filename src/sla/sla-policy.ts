import type { SlaConfig, SlaPolicy } from '../platform/config/hub-config';

const DAY_MS = 24 * 3_600_000;

type Terms = Pick<SlaPolicy, 'redressalDays' | 'appealWindowDays' | 'appealRedressalDays'>;

/** The most specific policy wins, field by field: portal + category, then portal, then the defaults. */
export function policyTerms(sla: SlaConfig, portalCode: string, category: string): Terms {
  const policies = sla.policies ?? [];
  const exact = policies.find((p) => p.portal === portalCode && p.category === category);
  const portalWide = policies.find((p) => p.portal === portalCode && !p.category);
  const pick = <K extends keyof Terms>(key: K): Terms[K] =>
    exact?.[key] ?? portalWide?.[key] ?? sla.defaults[key];
  return {
    redressalDays: pick('redressalDays'),
    appealWindowDays: pick('appealWindowDays'),
    appealRedressalDays: pick('appealRedressalDays'),
  };
}

export function redressalDays(sla: SlaConfig, portalCode: string, category: string): number {
  return policyTerms(sla, portalCode, category).redressalDays;
}

/** Calendar-day deadline; working days and holiday calendars come with the SLA engine. */
export function deadline(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}
