import type { SlaTerms } from '../platform/config/hub-config';
import { addDays } from './sla-calendar';

export interface SlaLevel {
  /** `warning`, `breach` or `escalation:<name>`; stored once per grievance in sla_actions. */
  level: string;
  at: Date;
  /** The grievance's last level: once done, the scheduler stops looking at it. */
  final: boolean;
}

/**
 * Every level a grievance goes through while it stays open, in time order: the warning at
 * `warningAtPct` of the time allowed, the breach at the deadline, and each escalation level
 * `afterDays` (in the policy's day type) after delivery, when the clock started.
 */
export function slaLevels(
  terms: Pick<SlaTerms, 'warningAtPct' | 'dayType' | 'escalationLevels'>,
  deliveredAt: Date,
  dueAt: Date,
  holidays: ReadonlySet<string> = new Set(),
): SlaLevel[] {
  const allowed = dueAt.getTime() - deliveredAt.getTime();
  const levels = [
    {
      level: 'warning',
      at: new Date(deliveredAt.getTime() + Math.floor((allowed * terms.warningAtPct) / 100)),
    },
    { level: 'breach', at: dueAt },
    ...terms.escalationLevels.map((e) => ({
      level: `escalation:${e.name}`,
      at: addDays(deliveredAt, e.afterDays, terms.dayType, holidays),
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a.level) - rank(b.level));
  return levels.map((l, i) => ({ ...l, final: i === levels.length - 1 }));
}

const rank = (level: string) => (level === 'warning' ? 0 : level === 'breach' ? 1 : 2);

/** The levels reached by `now` that have not been acted on yet. */
export function levelsDue(levels: SlaLevel[], now: Date, done: ReadonlySet<string>): SlaLevel[] {
  return levels.filter((l) => l.at.getTime() <= now.getTime() && !done.has(l.level));
}
