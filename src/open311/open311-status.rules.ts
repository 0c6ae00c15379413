import type { ComplaintStatus } from '../generated/prisma/enums';

/** GeoReport v2 knows two statuses: a grievance is closed once it has an outcome. */
const CLOSED: ReadonlySet<ComplaintStatus> = new Set(['RESOLVED', 'REJECTED', 'CLOSED']);

export function openOrClosed(status: ComplaintStatus): 'open' | 'closed' {
  return CLOSED.has(status) ? 'closed' : 'open';
}

/** The statuses behind `status=open` or `status=closed` (GET requests). */
export function statusesOf(open311: 'open' | 'closed'): ComplaintStatus[] {
  return ALL.filter((s) => openOrClosed(s) === open311);
}

/**
 * mySociety's extended statuses (FixMyStreet's Open311 updates), for servicerequestupdates.
 * A transfer is `not_councils_responsibility` (the addressed body passed it on); a rejection is
 * `no_further_action`; an appeal `investigating` (the appellate authority looks again); a failed
 * delivery stays `open`: the hub retries, it is not news about the grievance.
 */
const EXTENDED: Record<ComplaintStatus, string> = {
  RECEIVED: 'open',
  ROUTED: 'open',
  DELIVERED: 'action_scheduled',
  IN_PROGRESS: 'in_progress',
  RESOLVED: 'fixed',
  REJECTED: 'no_further_action',
  CLOSED: 'closed',
  TRANSFERRED: 'not_councils_responsibility',
  APPEALED: 'investigating',
  DISPATCH_FAILED: 'open',
};

export function extendedStatus(status: ComplaintStatus): string {
  return EXTENDED[status];
}

const ALL = Object.keys(EXTENDED) as ComplaintStatus[];

/** The words of an update's description: fixed text, never a portal's or citizen's free text. */
const NOTES: Record<ComplaintStatus, string> = {
  RECEIVED: 'Received by the hub.',
  ROUTED: 'Routed to the responsible portal.',
  DELIVERED: 'Lodged with the responsible portal.',
  IN_PROGRESS: 'The responsible office is working on it.',
  RESOLVED: 'Resolved by the responsible office.',
  REJECTED: 'Closed by the responsible office without action.',
  CLOSED: 'Closed.',
  TRANSFERRED: 'Transferred to another office.',
  APPEALED: 'Appealed: under review by the appellate authority.',
  DISPATCH_FAILED: 'Delivery to the portal is being retried.',
};

export function statusNote(status: ComplaintStatus): string {
  return NOTES[status];
}
