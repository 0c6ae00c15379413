import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig, SlaTerms } from '../platform/config/hub-config';
import { addDays } from './sla-calendar';
import { slaLevels, type SlaLevel } from './sla-levels';
import { portalHolidays, selectPolicy } from './sla-policy';

/** Deadlines by policy. Callers outside sla/ use only these methods. */
@Injectable()
export class SlaService {
  constructor(@InjectConfig() private readonly config: HubConfig) {}

  /** When the responsible portal must have redressed a grievance received at `from`. */
  dueAt(portalCode: string, category: string, from: Date): Date {
    return this.add(portalCode, category, from, (t) => t.redressalDays);
  }

  /** Until when a citizen may appeal a closure made at `resolvedAt`. */
  appealWindowEndsAt(portalCode: string, category: string, resolvedAt: Date): Date {
    return this.add(portalCode, category, resolvedAt, (t) => t.appealWindowDays);
  }

  /** When the appellate level must decide an appeal lodged at `appealedAt`. */
  appealDueAt(portalCode: string, category: string, appealedAt: Date): Date {
    return this.add(portalCode, category, appealedAt, (t) => t.appealRedressalDays);
  }

  /** Warning, breach and escalation levels of an open grievance, in time order. */
  levels(portalCode: string, category: string, deliveredAt: Date, dueAt: Date): SlaLevel[] {
    const terms = selectPolicy(this.config.sla, portalCode, category);
    return slaLevels(terms, deliveredAt, dueAt, portalHolidays(this.config, portalCode));
  }

  private add(portal: string, category: string, from: Date, days: (t: SlaTerms) => number): Date {
    const terms = selectPolicy(this.config.sla, portal, category);
    return addDays(from, days(terms), terms.dayType, portalHolidays(this.config, portal));
  }
}
