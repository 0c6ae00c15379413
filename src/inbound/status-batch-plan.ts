import type { CanonicalStatus } from '../../adapters/adapter';
import type { NotificationKind } from '../notifications/notification-kind';
import { compareOccurrence } from '../lifecycle/lifecycle.rules';
import {
  planEvent,
  type ComplaintChange,
  type ComplaintState,
  type PlanContext,
} from './status-plan';

/** A grievance under its row lock, as the batched status processor loads it. */
export interface LockedComplaint extends ComplaintState {
  id: string;
  trackingId: string;
  category: string;
}

/** A stored inbound event still to handle (unprocessed, or deferred as not-allowed/same-status). */
export interface PendingEvent {
  id: string;
  portalCode: string;
  eventId: string;
  dispatchId: string;
  /** Whether its dispatch was the primary one when the grievance was locked. */
  dispatchPrimary: boolean;
  status: CanonicalStatus;
  nativeStatus: string;
  occurredAt: Date;
  remarks: string | null;
  transferredTo: string | null;
  correlationId: string;
  /** Set for an event seen before that did not move the status then (reordered delivery). */
  processedAt: Date | null;
}

/** The final values of the columns the events changed (merged in order; last write wins). */
export type ComplaintUpdate = Partial<ComplaintChange> & {
  primaryPortalCode?: string;
  /** The earliest TRANSFERRED entry of this pass (the grievance keeps the earliest it has). */
  transferredAt?: Date;
};

/** Everything one grievance's pending events write, in the order the one-by-one path wrote it. */
export interface ComplaintWrites {
  /** One per handled event (deferred events that still do not fit are left alone). */
  processed: { eventId: string; id: string; portalCode: string; outcome: string }[];
  /** New timeline entries; `notify` is the notification written for that entry, if any. */
  timeline: {
    status: CanonicalStatus;
    portalCode: string;
    remarks: string;
    occurredAt: Date;
    notify: NotificationKind | null;
  }[];
  /**
   * Notifications for timeline entries written in an earlier pass: an event deferred then (its
   * transition not allowed yet) that applies now. Its entry exists; the citizen is told now.
   */
  notifyExisting: {
    status: CanonicalStatus;
    portalCode: string;
    occurredAt: Date;
    notify: NotificationKind;
  }[];
  /** Re-routes in order: each makes a new primary dispatch (the last one stays primary). */
  transfers: { toPortal: string; correlationId: string }[];
  update: ComplaintUpdate | null;
  /** Dispatches whose last_synced_at moves (one per event handled). */
  touched: string[];
}

/** `appealDueAt` for the grievance's current responsible portal and category. */
export type AppealDueAt = (portalCode: string, category: string, occurredAt: Date) => Date;

/**
 * Plans all pending events of one locked grievance, oldest first, exactly as applying them one by
 * one with `planEvent` would: the state moves after each applied event, a deferred event is only
 * re-applied when it now applies (no second timeline entry; the citizen is notified on the
 * existing one), and after a transfer the old
 * portal's later events are timeline only and appeal deadlines follow the new portal. Pure: the caller writes the result.
 */
export function planComplaint(
  complaint: LockedComplaint,
  events: readonly PendingEvent[],
  portals: readonly string[],
  appealDueAt: AppealDueAt,
): ComplaintWrites {
  const state: ComplaintState = {
    status: complaint.status,
    statusAt: complaint.statusAt,
    statusFrom: complaint.statusFrom,
    primaryPortalCode: complaint.primaryPortalCode,
    resolvedAt: complaint.resolvedAt,
    appealedAt: complaint.appealedAt,
    appealDueAt: complaint.appealDueAt,
  };
  const ctx: PlanContext = {
    portals,
    appealDueAt: (at) => appealDueAt(state.primaryPortalCode, complaint.category, at),
  };
  const writes: ComplaintWrites = {
    processed: [],
    timeline: [],
    notifyExisting: [],
    transfers: [],
    update: null,
    touched: [],
  };
  // After a transfer in this pass no loaded dispatch is primary any more (the new one has no
  // events yet): later events from the old portal are timeline only, as if applied one by one.
  let transferred = false;
  // Loaded in occurredAt order; ties go by TIE_ORDER and event id, never by arrival.
  for (const e of [...events].sort(compareOccurrence)) {
    const fromResponsiblePortal = e.dispatchPrimary && !transferred;
    const plan = planEvent(state, { ...e, fromResponsiblePortal }, ctx);
    const deferred = e.processedAt !== null;
    // Seen before and still not applicable: its timeline entry exists, nothing to do.
    if (deferred && plan.outcome !== 'applied') continue;
    if (plan.timeline && !deferred)
      writes.timeline.push({
        ...plan.timeline,
        portalCode: e.portalCode,
        occurredAt: e.occurredAt,
        notify: plan.notify,
      });
    if (plan.timeline && deferred && plan.notify)
      writes.notifyExisting.push({
        status: plan.timeline.status,
        portalCode: e.portalCode,
        occurredAt: e.occurredAt,
        notify: plan.notify,
      });
    if (plan.change) {
      const defined = definedOnly(plan.change);
      Object.assign(state, defined);
      writes.update = { ...writes.update, ...defined };
    }
    if (plan.transferTo) {
      writes.transfers.push({ toPortal: plan.transferTo, correlationId: e.correlationId });
      transferred = true;
      state.primaryPortalCode = plan.transferTo;
      writes.update = { ...writes.update, primaryPortalCode: plan.transferTo };
    }
    writes.processed.push({
      id: e.id,
      eventId: e.eventId,
      portalCode: e.portalCode,
      outcome: deferred ? 'applied-after-reorder' : plan.outcome,
    });
    writes.touched.push(e.dispatchId);
  }
  // Transferred once a portal said so, applied or not (as the timeline keeps it): the District
  // Governance Index counts it (docs/governance-index.md).
  const transfer = writes.timeline.find((t) => t.status === 'TRANSFERRED');
  if (transfer) writes.update = { ...writes.update, transferredAt: transfer.occurredAt };
  return writes;
}

function definedOnly(change: ComplaintChange): Partial<ComplaintChange> {
  return Object.fromEntries(
    Object.entries(change).filter(([, v]) => v !== undefined),
  ) as Partial<ComplaintChange>;
}
