import type { NotificationKind } from './notification-kind';

export interface MessageFacts {
  trackingId: string;
  portalName: string;
}

export interface Message {
  subject: string;
  text: string;
  sms: string;
}

const WHAT: Record<NotificationKind, (portal: string) => string> = {
  registered: (p) => `has been registered at ${p}`,
  transferred: (p) => `has been transferred to ${p}, the office responsible for it`,
  resolved: (p) => `has been resolved by ${p}`,
  rejected: (p) => `has been closed by ${p} without redress, with reasons`,
  'appeal-resolved': (p) => `appeal has been decided by the appellate authority of ${p}`,
  'appeal-rejected': (p) =>
    `appeal has been rejected by the appellate authority of ${p}, with reasons`,
  'appeal-closed': (p) => `appeal has been closed by ${p}`,
};

/**
 * The whole message: the tracking id, what happened and where. No name, no mobile, no address,
 * no remarks (a portal's remarks may quote the grievance); the citizen reads those when tracking.
 */
export function composeMessage(kind: NotificationKind, facts: MessageFacts): Message {
  const what = WHAT[kind](facts.portalName);
  const subject = `Grievance ${facts.trackingId}: ${kind.replace('-', ' ')}`;
  const sentence = `Your grievance ${facts.trackingId} ${what}.`;
  const text = [
    'Dear citizen,',
    '',
    sentence,
    'See the details and the remarks by tracking it with your tracking id and access token.',
    kind === 'resolved' || kind === 'rejected'
      ? 'You may rate the outcome, and appeal within the appeal window if you are not satisfied.'
      : '',
    '',
    '— Grievance integration hub (One Nation One Portal)',
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
  return { subject, text, sms: sentence.slice(0, 160) };
}
