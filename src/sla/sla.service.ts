import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { deadline, policyTerms } from './sla-policy';

/** Deadlines by policy. Callers outside sla/ use only these methods. */
@Injectable()
export class SlaService {
  constructor(@InjectConfig() private readonly config: HubConfig) {}

  /** When the responsible portal must have redressed a grievance received at `from`. */
  dueAt(portalCode: string, category: string, from: Date): Date {
    const { redressalDays } = policyTerms(this.config.sla, portalCode, category);
    return deadline(from, redressalDays);
  }

  /** Until when a citizen may appeal a closure made at `resolvedAt`. */
  appealWindowEndsAt(portalCode: string, category: string, resolvedAt: Date): Date {
    const { appealWindowDays } = policyTerms(this.config.sla, portalCode, category);
    return deadline(resolvedAt, appealWindowDays);
  }

  /** When the appellate level must decide an appeal lodged at `appealedAt`. */
  appealDueAt(portalCode: string, category: string, appealedAt: Date): Date {
    const { appealRedressalDays } = policyTerms(this.config.sla, portalCode, category);
    return deadline(appealedAt, appealRedressalDays);
  }
}
