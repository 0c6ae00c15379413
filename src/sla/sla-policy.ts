import type { SlaConfig } from '../platform/config/hub-config';

const DAY_MS = 24 * 3_600_000;

/** The most specific policy wins: portal + category, then portal, then the defaults. */
export function redressalDays(sla: SlaConfig, portalCode: string, category: string): number {
  const policies = sla.policies ?? [];
  const exact = policies.find((p) => p.portal === portalCode && p.category === category);
  const portalWide = policies.find((p) => p.portal === portalCode && !p.category);
  return exact?.redressalDays ?? portalWide?.redressalDays ?? sla.defaults.redressalDays;
}

/** Calendar-day deadline; working days and holiday calendars come with the SLA engine. */
export function deadline(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}
