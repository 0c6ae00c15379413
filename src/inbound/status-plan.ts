import type { CanonicalStatus } from '../../adapters/adapter';
import type { NotificationKind } from '../notifications/notification-kind';
import { decide } from '../lifecycle/lifecycle.rules';

/** The grievance as the status processor sees it, under its row lock. */
export interface ComplaintState {
  status: CanonicalStatus;
  /** When the current status took effect; null until status sync first moved it. */
  statusAt: Date | null;
  /** The status the current one was reached from: decides same-instant ties (lifecycle.decide). */
  statusFrom: CanonicalStatus | null;
  primaryPortalCode: string;
  resolvedAt: Date | null;
  appealedAt: Date | null;
  appealDueAt: Date | null;
}

export interface PortalEvent {
  portalCode: string;
  status: CanonicalStatus;
  nativeStatus: string;
  occurredAt: Date;
  remarks: string | null;
  transferredTo: string | null;
  /** False when the event's dispatch is a mirror or a portal the grievance was transferred away from. */
  fromResponsiblePortal: boolean;
}

/** Columns to write: undefined keeps a column, null clears it (what a replaced status set). */
export interface ComplaintChange {
  status: CanonicalStatus;
  statusAt: Date;
  statusFrom: CanonicalStatus;
  resolvedAt?: Date | null;
  resolvedByPortal?: string | null;
  resolutionRemarks?: string | null;
  closedAt?: Date | null;
  appealedAt?: Date;
  appealDueAt?: Date;
}

export interface EventPlan {
  outcome: string;
  /** The timeline entry to add (every event the grievance accepts is kept, applied or not). */
  timeline: { status: CanonicalStatus; remarks: string } | null;
  change: ComplaintChange | null;
  /** A portal code (configured, other than the current one) to re-route the grievance to. */
  transferTo: string | null;
  notify: NotificationKind | null;
}

export interface PlanContext {
  /** Configured portal codes (a transfer target outside them is a move inside the same portal). */
  portals: readonly string[];
  appealDueAt(occurredAt: Date): Date;
}

const EPOCH = new Date(0);

/** What one portal event does to a grievance: pure, so every rule has a table test. */
export function planEvent(state: ComplaintState, event: PortalEvent, ctx: PlanContext): EventPlan {
  const timeline = { status: event.status, remarks: timelineRemarks(event) };
  const none = { change: null, transferTo: null, notify: null };
  if (!event.fromResponsiblePortal) return { outcome: 'other-portal', timeline, ...none };
  const transferTo = event.status === 'TRANSFERRED' ? transferTarget(state, event, ctx) : null;
  const decision = decide(
    { status: state.status, statusAt: state.statusAt ?? EPOCH, statusFrom: state.statusFrom },
    { ...event, reroutes: transferTo !== null },
  );
  if (decision.kind === 'refuse')
    return { outcome: `refused:${decision.code}`, timeline: null, ...none };
  if (decision.kind === 'timeline-only') return { outcome: decision.reason, timeline, ...none };

  // A same-instant replacement keeps what came before the tie as its origin, and undoes what
  // the status it replaces set at that instant before setting its own.
  const from = decision.replaces ? (state.statusFrom ?? state.status) : state.status;
  const undone = decision.replaces ? undoneByReplacing(state) : {};
  const change = { ...undone, ...lifecycleChange({ ...state, ...undone }, event, ctx, from) };
  return {
    outcome: 'applied',
    timeline,
    change,
    transferTo,
    notify: notificationFor(state, event.status),
  };
}

function lifecycleChange(
  state: ComplaintState,
  e: PortalEvent,
  ctx: PlanContext,
  from: CanonicalStatus,
): ComplaintChange {
  const change: ComplaintChange = { status: e.status, statusAt: e.occurredAt, statusFrom: from };
  if (e.status === 'RESOLVED' || e.status === 'REJECTED') {
    // The outcome that stands is the latest (after an appeal or a reopening), but the first
    // resolution ends the redressal clock: later ones do not move resolved_at.
    if (!state.resolvedAt) change.resolvedAt = e.occurredAt;
    change.resolvedByPortal = e.portalCode;
    change.resolutionRemarks = e.remarks ?? undefined;
  }
  if (e.status === 'CLOSED') change.closedAt = e.occurredAt;
  if (e.status === 'APPEALED' && !state.appealedAt) {
    change.appealedAt = e.occurredAt;
    change.appealDueAt = ctx.appealDueAt(e.occurredAt);
  }
  return change;
}

/**
 * The columns the current status set when it took effect, cleared: its resolution (resolved_at
 * only if that resolution was the first) or its closure. Neither is restored to an earlier
 * value (a resolution before an appeal keeps its timeline entry; the columns are not history).
 */
function undoneByReplacing(state: ComplaintState): Partial<ComplaintChange> {
  if (state.status === 'RESOLVED' || state.status === 'REJECTED') {
    const first = state.resolvedAt?.getTime() === state.statusAt?.getTime();
    return {
      resolvedByPortal: null,
      resolutionRemarks: null,
      ...(first ? { resolvedAt: null } : {}),
    };
  }
  if (state.status === 'CLOSED') return { closedAt: null };
  return {};
}

/** A configured portal other than the responsible one; anything else is an internal move. */
export function transferTarget(
  state: Pick<ComplaintState, 'primaryPortalCode'>,
  event: Pick<PortalEvent, 'transferredTo'>,
  ctx: Pick<PlanContext, 'portals'>,
): string | null {
  const wanted = event.transferredTo?.trim().toUpperCase();
  const code = ctx.portals.find((p) => p.toUpperCase() === wanted);
  return code && code !== state.primaryPortalCode ? code : null;
}

export function notificationFor(
  state: Pick<ComplaintState, 'status' | 'appealedAt'>,
  to: CanonicalStatus,
): NotificationKind | null {
  const appeal = state.status === 'APPEALED' || state.appealedAt !== null;
  switch (to) {
    case 'TRANSFERRED':
      return 'transferred';
    case 'RESOLVED':
      return appeal ? 'appeal-resolved' : 'resolved';
    case 'REJECTED':
      return appeal ? 'appeal-rejected' : 'rejected';
    case 'CLOSED':
      return state.status === 'APPEALED' ? 'appeal-closed' : null;
    default:
      return null;
  }
}

function timelineRemarks(e: PortalEvent): string {
  const parts = [e.nativeStatus];
  if (e.status === 'TRANSFERRED' && e.transferredTo) parts.push(`to ${e.transferredTo}`);
  const head = parts.join(' ');
  return e.remarks ? `${head}: ${e.remarks}` : head;
}
