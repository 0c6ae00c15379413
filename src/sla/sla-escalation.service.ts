import { Injectable, Logger } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { isDatabaseUnavailable } from '../platform/errors/database-unavailable';
import { HubMetrics } from '../platform/metrics/metrics.service';
import { PortalRegistry } from '../portals/portal-registry.service';
import {
  APPEAL_BREACH,
  SlaActionsRepository,
  type OverdueAppeal,
  type ReminderPlan,
  type SlaCandidate,
} from './sla-actions.repository';
import { levelsDue, type SlaLevel } from './sla-levels';
import { SlaService } from './sla.service';
import type { KeysetPosition } from '../platform/database/keyset';
import { DAY_MS } from '../platform/time';

const BATCH = 500;

/**
 * Finds grievances entering warning, breach or an escalation level and acts once per grievance
 * and level: a reminder to the portal (when its adapter supports one), a timeline entry for a
 * breach or escalation (the status does not change), a metric.
 */
@Injectable()
export class SlaEscalationService {
  private readonly logger = new Logger(SlaEscalationService.name);

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly repository: SlaActionsRepository,
    private readonly sla: SlaService,
    private readonly portals: PortalRegistry,
    private readonly metrics: HubMetrics,
  ) {}

  async scan(now = new Date()): Promise<{ acted: number }> {
    const horizon = new Date(now.getTime() + this.lookAheadDays() * DAY_MS);
    let after: KeysetPosition | null = null;
    let acted = await this.appealBreaches(now);
    for (;;) {
      const batch = await this.repository.candidates(horizon, after, BATCH);
      for (const c of batch) acted += await this.isolated(c.id, () => this.actOn(c, now));
      if (batch.length < BATCH) return { acted };
      const last = batch[batch.length - 1];
      after = { at: last.slaDueAt, id: last.id };
    }
  }

  /** An appeal has its own deadline; once past it, the same once-only breach handling applies. */
  private async appealBreaches(now: Date): Promise<number> {
    let acted = 0;
    for (;;) {
      const batch = await this.repository.overdueAppeals(now, BATCH);
      let claimedHere = 0;
      for (const a of batch) claimedHere += await this.isolated(a.id, () => this.appealBreach(a));
      acted += claimedHere;
      // Claimed rows leave the query; a full page with none claimed would come back unchanged.
      if (batch.length < BATCH || claimedHere === 0) return acted;
    }
  }

  private async appealBreach(a: OverdueAppeal): Promise<number> {
    const claimed = await this.repository.claim({
      complaintId: a.id,
      level: APPEAL_BREACH,
      final: false,
      portalCode: a.portalCode,
      timelineRemarks: `Appeal SLA breached: the appellate authority has not decided by ${a.appealDueAt.toISOString()} (${a.portalCode}); a reminder is queued for the portal where it takes one`,
      reminder: this.reminder(a, APPEAL_BREACH),
    });
    if (!claimed) return 0;
    this.metrics.slaLevels.inc({ portal: a.portalCode, level: APPEAL_BREACH });
    this.metrics.slaBreaches.inc({ portal: a.portalCode });
    return 1;
  }

  /**
   * One grievance's failure is logged and skipped, so it cannot hold up every grievance after
   * it in deadline order; the next scan tries it again.
   */
  private async isolated(complaintId: string, act: () => Promise<number>): Promise<number> {
    try {
      return await act();
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error; // the whole scan waits for the database
      this.logger.error(
        { complaintId, error: (error as Error).message },
        'SLA scan could not act on a grievance; will retry on the next scan',
      );
      return 0;
    }
  }

  private async actOn(c: SlaCandidate, now: Date): Promise<number> {
    const levels = this.sla.levels(c.portalCode, c.category, c.deliveredAt, c.slaDueAt);
    let acted = 0;
    for (const level of levelsDue(levels, now, new Set(c.done))) {
      const claimed = await this.repository.claim({
        complaintId: c.id,
        level: level.level,
        final: level.final,
        portalCode: c.portalCode,
        timelineRemarks: this.remarks(level, c),
        reminder: this.reminder(c, level.level),
      });
      if (!claimed) continue;
      acted++;
      const kind = level.level.split(':')[0];
      this.metrics.slaLevels.inc({ portal: c.portalCode, level: kind });
      if (kind === 'breach') this.metrics.slaBreaches.inc({ portal: c.portalCode });
      this.logger.log(
        { complaintId: c.id, portal: c.portalCode, level: level.level },
        'SLA level reached',
      );
    }
    return acted;
  }

  private remarks(level: SlaLevel, c: SlaCandidate): string | null {
    const due = c.slaDueAt.toISOString();
    if (level.level === 'breach')
      return `SLA breached: not redressed by the deadline ${due} (${c.portalCode}); an escalation reminder is queued for the portal where it takes one`;
    if (level.level.startsWith('escalation:'))
      return `Escalated to ${level.level.slice('escalation:'.length)}: still open (deadline ${due}, ${c.portalCode})`;
    return null;
  }

  /** A reminder is queued where the portal's adapter takes one and the portal knows the grievance. */
  private reminder(
    c: Pick<SlaCandidate, 'id' | 'portalCode' | 'dispatchId'>,
    level: string,
  ): ReminderPlan {
    const adapter = this.portals.find(c.portalCode)?.adapter;
    if (!adapter) return { outcome: 'none: portal not configured' };
    if (!adapter.sendReminder) return { outcome: 'unsupported' };
    if (!c.dispatchId) return { outcome: 'none: no portal reference' };
    return { outcome: 'queued', dispatchId: c.dispatchId, correlationId: `sla-${level}-${c.id}` };
  }

  /** How far ahead of a deadline the earliest level (warning or escalation) can fall. */
  private lookAheadDays(): number {
    const all = [this.config.sla.defaults, ...this.config.sla.policies];
    const days = all.map((p) => {
      const warning = (p.redressalDays * (100 - p.warningAtPct)) / 100;
      const early = p.escalationLevels.map((e) => p.redressalDays - e.afterDays);
      // Working days stretch over weekends and holidays: twice the calendar span is ample.
      return Math.max(warning, ...early) * (p.dayType === 'working' ? 2 : 1) + 1;
    });
    return Math.max(...days);
  }
}
