import type { HubConfig, SlaConfig, SlaTerms } from '../platform/config/hub-config';

/**
 * The policy for (portal, category), else (portal, no category), else the defaults. Policies
 * are complete (load-config fills omitted terms from the defaults), so the winner is taken whole.
 */
export function selectPolicy(sla: SlaConfig, portalCode: string, category: string): SlaTerms {
  const policies = sla.policies ?? [];
  return (
    policies.find((p) => p.portal === portalCode && p.category === category) ??
    policies.find((p) => p.portal === portalCode && !p.category) ??
    sla.defaults
  );
}

/**
 * The holiday calendar of a portal's working days: a state portal observes its state's holidays
 * and the central ones; a central portal (CPGRAMS) the central ones.
 */
export function portalHolidays(config: Pick<HubConfig, 'portals' | 'sla'>, portalCode: string) {
  const portal = config.portals.find((p) => p.code === portalCode);
  const central = config.sla.holidays.central ?? [];
  const state =
    portal?.jurisdiction.level === 'state'
      ? (config.sla.holidays[portal.jurisdiction.stateCode] ?? [])
      : [];
  return new Set([...central, ...state]);
}
