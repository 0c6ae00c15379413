import type { CanonicalStatus } from '../../adapters/adapter';
import { canTransition, isClosed } from '../lifecycle/lifecycle.rules';
import { DAY_MS } from '../platform/time';

export const REMINDER_INTERVAL_MS = 7 * DAY_MS;

export type Verdict = { ok: true } | { ok: false; code: string; detail: string };
const ok: Verdict = { ok: true };
const no = (code: string, detail: string): Verdict => ({ ok: false, code, detail });

export function feedbackVerdict(c: { status: CanonicalStatus; feedbackAt: Date | null }): Verdict {
  if (c.feedbackAt)
    return no('feedback-already-given', 'Feedback was already given for this grievance.');
  if (!isClosed(c.status))
    return no('not-resolved', 'Feedback can be given once the grievance is resolved or closed.');
  return ok;
}

export function appealVerdict(
  c: { status: CanonicalStatus; appealedAt: Date | null },
  windowEndsAt: Date | null,
  now: Date,
): Verdict {
  if (c.appealedAt) return no('already-appealed', 'This grievance has already been appealed.');
  // The lifecycle allows an appeal from a resolved, rejected or closed grievance only.
  if (!canTransition(c.status, 'APPEALED') || !windowEndsAt)
    return no(
      'not-closed',
      'An appeal is possible only after the grievance is resolved or closed.',
    );
  if (now.getTime() > windowEndsAt.getTime())
    return no('appeal-window-closed', `The appeal window ended on ${windowEndsAt.toISOString()}.`);
  return ok;
}

/** Open and with a portal: the statuses a reminder can be sent in. */
const AT_PORTAL: readonly CanonicalStatus[] = [
  'DELIVERED',
  'IN_PROGRESS',
  'TRANSFERRED',
  'APPEALED',
];

/** `retryAfterSeconds` is set when the only obstacle is the one-per-7-days limit. */
export function reminderVerdict(
  c: { status: CanonicalStatus },
  lastReminderAt: Date | null,
  now: Date,
): Verdict & { retryAfterSeconds?: number } {
  if (!AT_PORTAL.includes(c.status))
    return no(
      'not-at-portal',
      'A reminder can be sent only while the grievance is open at a portal.',
    );
  if (lastReminderAt) {
    const nextAt = lastReminderAt.getTime() + REMINDER_INTERVAL_MS;
    if (now.getTime() < nextAt) {
      return {
        ...no(
          'reminder-too-soon',
          `One reminder per 7 days; the next is possible at ${new Date(nextAt).toISOString()}.`,
        ),
        retryAfterSeconds: Math.ceil((nextAt - now.getTime()) / 1000),
      };
    }
  }
  return ok;
}

export type CitizenAction = 'track' | 'remind' | 'appeal' | 'rate' | 'reissue-access-token';

/**
 * What a citizen's list offers for one grievance: the same verdicts the actions apply, so the
 * list never offers what the action would refuse (the action checks again under its lock).
 */
export function allowedActions(
  c: { status: CanonicalStatus; feedbackAt: Date | null; appealedAt: Date | null },
  at: {
    now: Date;
    lastReminderAt: Date | null;
    appealWindowEndsAt: Date | null;
    /** The primary portal registered it and takes reminders / appeals through the hub. */
    portal: { registered: boolean; reminders: boolean; appeals: boolean };
  },
): CitizenAction[] {
  const actions: CitizenAction[] = ['track'];
  const { portal } = at;
  if (portal.registered && portal.reminders && reminderVerdict(c, at.lastReminderAt, at.now).ok) {
    actions.push('remind');
  }
  if (portal.registered && portal.appeals && appealVerdict(c, at.appealWindowEndsAt, at.now).ok) {
    actions.push('appeal');
  }
  if (feedbackVerdict(c).ok) actions.push('rate');
  actions.push('reissue-access-token');
  return actions;
}
