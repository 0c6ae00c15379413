import type { CanonicalStatus } from '../../adapters/adapter';

export const TRANSITIONS: Readonly<Record<CanonicalStatus, readonly CanonicalStatus[]>> = {
  RECEIVED: ['ROUTED', 'DISPATCH_FAILED'],
  ROUTED: ['DELIVERED', 'DISPATCH_FAILED'],
  // Staff retry re-queues the delivery.
  DISPATCH_FAILED: ['ROUTED'],
  DELIVERED: ['IN_PROGRESS', 'RESOLVED', 'REJECTED', 'TRANSFERRED'],
  IN_PROGRESS: ['RESOLVED', 'REJECTED', 'TRANSFERRED'],
  // The new portal takes over from wherever it stands; the SLA clock does not reset.
  TRANSFERRED: ['ROUTED', 'DELIVERED', 'IN_PROGRESS', 'RESOLVED', 'REJECTED', 'DISPATCH_FAILED'],
  // IN_PROGRESS: the portal reopened it.
  RESOLVED: ['CLOSED', 'APPEALED', 'IN_PROGRESS'],
  REJECTED: ['CLOSED', 'APPEALED', 'IN_PROGRESS'],
  CLOSED: ['APPEALED'],
  APPEALED: ['IN_PROGRESS', 'RESOLVED', 'REJECTED', 'CLOSED', 'TRANSFERRED'],
};

/**
 * Ties: two events of one grievance with the same occurredAt are taken to have happened in this
 * order, whatever order they arrive in: the later in the lifecycle wins (RESOLVED over
 * IN_PROGRESS), then the portal's event id. docs/status-sync.md.
 *
 * One exception: a TRANSFERRED that re-routes to another portal of the hub wins over what the
 * same portal reported at the same instant (IN_PROGRESS, REJECTED, RESOLVED, an appeal's
 * CLOSED). Sorted first, it applies and the old portal's events after it are timeline only; if
 * it arrives after one of them, it replaces it (decide). A transfer cannot be undone once the
 * new portal has the grievance, a resolution can be superseded; and a portal that says the
 * grievance is not its own must not close it: it stays open for the citizen.
 */
export const TIE_ORDER: readonly CanonicalStatus[] = [
  'RECEIVED',
  'ROUTED',
  'DISPATCH_FAILED',
  'DELIVERED',
  'TRANSFERRED',
  'IN_PROGRESS',
  'REJECTED',
  'RESOLVED',
  'CLOSED',
  'APPEALED',
];

export function tieRank(status: CanonicalStatus): number {
  return TIE_ORDER.indexOf(status);
}

/** Orders events as they happened: occurredAt, then TIE_ORDER, then the portal's event id. */
export function compareOccurrence(
  a: { occurredAt: Date; status: CanonicalStatus; eventId: string },
  b: { occurredAt: Date; status: CanonicalStatus; eventId: string },
): number {
  return (
    a.occurredAt.getTime() - b.occurredAt.getTime() ||
    tieRank(a.status) - tieRank(b.status) ||
    (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)
  );
}

export type Decision =
  /** `replaces`: it takes the place of a status set at the same instant (see decide). */
  | { kind: 'apply'; to: CanonicalStatus; replaces?: true }
  | { kind: 'timeline-only'; reason: 'same-status' | 'late' | 'not-allowed' }
  | {
      kind: 'refuse';
      code: 'closure-without-remarks' | 'transfer-without-target';
      message: string;
    };

export interface LifecycleState {
  status: CanonicalStatus;
  statusAt: Date;
  /** The status the current one was reached from (null when unknown). */
  statusFrom?: CanonicalStatus | null;
}

export interface LifecycleEvent {
  status: CanonicalStatus;
  occurredAt: Date;
  remarks?: string | null;
  transferredTo?: string | null;
  /** A TRANSFERRED naming another portal of the hub: the grievance leaves the reporting portal. */
  reroutes?: boolean;
}

const CLOSED_STATUSES: ReadonlySet<CanonicalStatus> = new Set(['RESOLVED', 'REJECTED', 'CLOSED']);

export function canTransition(from: CanonicalStatus, to: CanonicalStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** DISPATCH_FAILED counts as open: staff must act on it. */
export function isClosed(status: CanonicalStatus): boolean {
  return CLOSED_STATUSES.has(status);
}

const isBlank = (s: string | null | undefined): boolean => !s || s.trim() === '';

export type Refusal = Extract<Decision, { kind: 'refuse' }>;

/** What no state can make acceptable: checked when an event arrives, before it is stored. */
export function refusal(event: Omit<LifecycleEvent, 'occurredAt'>): Refusal | null {
  // Honest closure: a portal must say why it resolved or rejected a grievance.
  if ((event.status === 'RESOLVED' || event.status === 'REJECTED') && isBlank(event.remarks)) {
    return {
      kind: 'refuse',
      code: 'closure-without-remarks',
      message: `${event.status} requires the portal's remarks`,
    };
  }
  if (event.status === 'TRANSFERRED' && isBlank(event.transferredTo)) {
    return {
      kind: 'refuse',
      code: 'transfer-without-target',
      message: 'TRANSFERRED requires the portal it was transferred to',
    };
  }
  return null;
}

export function decide(current: LifecycleState, event: LifecycleEvent): Decision {
  const refused = refusal(event);
  if (refused) return refused;
  // "Not at-or-after" rather than "before": an invalid date (NaN) counts as late, never applies.
  if (!(event.occurredAt.getTime() >= current.statusAt.getTime())) {
    return { kind: 'timeline-only', reason: 'late' };
  }
  const sameInstant = event.occurredAt.getTime() === current.statusAt.getTime();
  // Same instant as the current status but earlier in TIE_ORDER: it counts as having come first.
  if (sameInstant && tieRank(event.status) < tieRank(current.status)) {
    // A transfer away: had it come first, the reporting portal's own events after it would not
    // count (the grievance left that portal), so it replaces the status they set (TIE_ORDER). From
    // a status a transfer can leave, only the responsible portal's events lead to one ranked after
    // TRANSFERRED (the citizen's appeal and feedback and the auto-close start from a closure).
    if (
      event.status === 'TRANSFERRED' &&
      event.reroutes &&
      current.statusFrom &&
      canTransition(current.statusFrom, event.status)
    ) {
      return { kind: 'apply', to: event.status, replaces: true };
    }
    return { kind: 'timeline-only', reason: 'late' };
  }
  if (event.status === current.status) {
    return { kind: 'timeline-only', reason: 'same-status' };
  }
  if (!canTransition(current.status, event.status)) {
    // Same instant, later in TIE_ORDER, but no way on from the status it ties with (RESOLVED
    // after REJECTED): the two happened together, so the later one wins if it could follow what
    // came before them both. Whichever arrived first, the outcome is the same.
    if (sameInstant && current.statusFrom && canTransition(current.statusFrom, event.status)) {
      return { kind: 'apply', to: event.status, replaces: true };
    }
    return { kind: 'timeline-only', reason: 'not-allowed' };
  }
  return { kind: 'apply', to: event.status };
}
