import type { ColumnTypes, NamedParams, RowOf } from '../platform/database/named-params';
import { sqlGuard, sqlRowGuard, STEPS } from './lifecycle.steps';

/*
 * The lifecycle's writes that ride in another module's one statement (intake, settling a batch
 * of deliveries, applying a batch of portal events): data-modifying CTEs the caller places in its
 * WITH list, as releaseWaitingEvents does. One round trip stays one round trip
 * (docs/benchmarks.md); the SQL that writes a status, a timeline entry or a notification stays
 * here.
 */

/*
 * The hub's own steps (routed, delivered, failed, retried) set `status_from` and leave
 * `status_at`. Portal events are ordered against `status_at` in the portal's clock (an older one
 * is late), and a portal reports on a grievance only once it registered it, often dated before
 * the hub recorded that registration (the waiting events a delivery releases always are). A hub
 * time there would turn them late; so the hub's steps keep the bound the ordering had: the last
 * portal-dated status, or none.
 */

/** Since when a resolved or rejected grievance has waited for the citizen's feedback. */
const AWAITING_FEEDBACK_SINCE = `COALESCE(status_at, resolved_at, updated_at)`;

/**
 * RESOLVED/REJECTED since before `$1` and no feedback → CLOSED, with a timeline entry (`$2` its
 * remarks), oldest first, at most `$3`. Through `complaints_awaiting_feedback_idx` (migration
 * 20261130029000: the expression below, on exactly those grievances): the status index read every
 * resolved or rejected grievance ever, feedback given or not, and sorted them, every minute.
 */
export const AUTO_CLOSE = `
  WITH due AS (
    SELECT id FROM complaints
    WHERE ${sqlGuard('status', STEPS.autoClose)} AND feedback_at IS NULL
      AND ${AWAITING_FEEDBACK_SINCE} < $1::timestamptz
    ORDER BY ${AWAITING_FEEDBACK_SINCE} LIMIT $3 FOR UPDATE SKIP LOCKED
  ), closed AS (
    UPDATE complaints c SET status = 'CLOSED', status_from = c.status, closed_at = now(),
           status_at = now(), updated_at = now()
    FROM due WHERE c.id = due.id
    RETURNING c.id, c.primary_portal_code
  )
  INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
  SELECT gen_random_uuid(), id, 'CLOSED', 'hub', primary_portal_code, $2::text, now()
  FROM closed`;

/** Dispatches (`$1`, uuid[]) the relay just queued: a primary one's grievance is ROUTED. */
export const ROUTE_QUEUED_DISPATCHES = `
  WITH routed AS (
    UPDATE complaints c SET status = 'ROUTED', status_from = c.status, updated_at = now()
    FROM dispatches d
    WHERE d.id = ANY($1::uuid[]) AND d."primary" AND c.id = d.complaint_id
      AND ${sqlRowGuard('c.status', STEPS.route)}
    RETURNING c.id, c.primary_portal_code, c.routing_rule, c.created_at
  )
  INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
  SELECT gen_random_uuid(), id, 'ROUTED', 'hub', primary_portal_code,
         'Routed to ' || primary_portal_code || ' (rule ' || routing_rule || ')',
         -- now() is when this transaction began, which can precede the intake commit
         -- it then saw: never let ROUTED sort before RECEIVED on the timeline.
         greatest(clock_timestamp(), created_at)
  FROM routed`;

/** Intake: the RECEIVED timeline entry of the complaint being inserted (`inserted`: a relation with id, created_at). */
export function receivedAtIntake(inserted: string): string {
  return `received AS (
    INSERT INTO status_events (id, complaint_id, status, source, occurred_at)
    SELECT gen_random_uuid(), id, 'RECEIVED', 'hub', created_at FROM ${inserted}
  )`;
}

/**
 * Deliveries just settled → DELIVERED for the primary ones, with a timeline entry and the
 * citizen's notification. `settled` names a relation with complaint_id, "primary", external_ref,
 * delivered_at, sla_due_at and portal_code. The first delivery starts the SLA clock; a later one
 * (after a transfer, or a failed transfer retried) keeps its start and deadline: the clock never
 * resets.
 */
export function deliveredCtes(settled: string): string {
  return `delivered_complaint AS (
    UPDATE complaints c SET status = 'DELIVERED', status_from = c.status, updated_at = now(),
           delivered_at = coalesce(c.delivered_at, d.delivered_at),
           sla_due_at = CASE WHEN c.delivered_at IS NULL THEN d.sla_due_at ELSE c.sla_due_at END
    FROM ${settled} d
    WHERE d."primary" AND c.id = d.complaint_id AND ${sqlRowGuard('c.status', STEPS.deliver)}
    RETURNING c.id, d.external_ref, d.delivered_at, d.portal_code
  ), delivered_event AS (
    INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
    SELECT gen_random_uuid(), id, 'DELIVERED', 'portal:' || portal_code, portal_code,
           'Registered at ' || portal_code || ' as ' || external_ref, delivered_at
    FROM delivered_complaint
    RETURNING id, complaint_id, recorded_at
  ), delivered_notification AS (
    -- The citizen is told (src/notifications); the status relay queues the row.
    INSERT INTO notifications (id, complaint_id, status_event_id, status_event_recorded_at, kind)
    SELECT gen_random_uuid(), complaint_id, id, recorded_at, 'registered' FROM delivered_event
  )`;
}

/** A batch of portal events planned by status-sync: timeline rows. */
export const TIMELINE = {
  id: 'uuid',
  complaint_id: 'uuid',
  status: 'text',
  portal_code: 'text',
  remarks: 'text',
  occurred_at: 'timestamptz',
} as const satisfies ColumnTypes;
/** Notifications on timeline rows of the same batch. */
export const NOTES = {
  complaint_id: 'uuid',
  status_event_id: 'uuid',
  kind: 'text',
} as const satisfies ColumnTypes;
/** Notifications of events deferred earlier that apply now, on the entry they got then. */
export const LATE_NOTES = {
  complaint_id: 'uuid',
  status: 'text',
  portal_code: 'text',
  occurred_at: 'timestamptz',
  kind: 'text',
} as const satisfies ColumnTypes;
/**
 * Complaint changes; a null keeps the column. The columns a replaced status set (a resolution or
 * a closure undone by a same-instant transfer, docs/status-sync.md "ties") are set back to NULL
 * by their `clear_` flag instead.
 */
export const UPDATES = {
  id: 'uuid',
  status: 'text',
  status_at: 'timestamptz',
  status_from: 'text',
  resolved_at: 'timestamptz',
  clear_resolved_at: 'boolean',
  resolved_by_portal: 'text',
  clear_resolved_by_portal: 'boolean',
  resolution_remarks: 'text',
  clear_resolution_remarks: 'boolean',
  closed_at: 'timestamptz',
  clear_closed_at: 'boolean',
  appealed_at: 'timestamptz',
  appeal_due_at: 'timestamptz',
  transferred_at: 'timestamptz',
  primary_portal_code: 'text',
} as const satisfies ColumnTypes;

/** The UPDATES row of a planned change: undefined keeps a column, null clears it. */
export function updateRow(
  id: string,
  u: {
    status?: string;
    statusAt?: Date;
    statusFrom?: string;
    resolvedAt?: Date | null;
    resolvedByPortal?: string | null;
    resolutionRemarks?: string | null;
    closedAt?: Date | null;
    appealedAt?: Date;
    appealDueAt?: Date;
    /** A transfer's time: the grievance keeps the earliest it has been told of. */
    transferredAt?: Date;
    primaryPortalCode?: string;
  },
): RowOf<typeof UPDATES> {
  return {
    id,
    status: u.status ?? null,
    status_at: u.statusAt ?? null,
    status_from: u.statusFrom ?? null,
    resolved_at: u.resolvedAt ?? null,
    clear_resolved_at: u.resolvedAt === null,
    resolved_by_portal: u.resolvedByPortal ?? null,
    clear_resolved_by_portal: u.resolvedByPortal === null,
    resolution_remarks: u.resolutionRemarks ?? null,
    clear_resolution_remarks: u.resolutionRemarks === null,
    closed_at: u.closedAt ?? null,
    clear_closed_at: u.closedAt === null,
    appealed_at: u.appealedAt ?? null,
    appeal_due_at: u.appealDueAt ?? null,
    transferred_at: u.transferredAt ?? null,
    primary_portal_code: u.primaryPortalCode ?? null,
  };
}

/** `column = v.column`, or the row's value kept when that is null, or NULL when `v.clear_column`. */
const keepOrClear = (column: string) =>
  `${column} = CASE WHEN v.clear_${column} THEN NULL ELSE coalesce(v.${column}, c.${column}) END`;

/**
 * The lifecycle's part of a batch of planned portal events (decide() made the decisions): its
 * timeline, notifications and complaint changes, as CTEs whose rows are `p`'s parameters
 * `timeline`, `notes`, `lateNotes` and `updates`.
 */
export function plannedStatusCtes(p: NamedParams): string {
  return `timeline AS (
    INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
    SELECT id, complaint_id, status::"ComplaintStatus", 'portal:' || portal_code, portal_code,
           remarks, occurred_at
    FROM ${p.unnest('timeline', TIMELINE, 't')}
  ), notification AS (
    -- Each is about an entry of the timeline above, recorded now() (its default).
    INSERT INTO notifications (id, complaint_id, status_event_id, status_event_recorded_at, kind)
    SELECT gen_random_uuid(), complaint_id, status_event_id, now(), kind
    FROM ${p.unnest('notes', NOTES, 'n')}
  ), late_notification AS (
    -- An event deferred earlier that applies now: notify on the timeline entry it got then.
    INSERT INTO notifications (id, complaint_id, status_event_id, status_event_recorded_at, kind)
    SELECT gen_random_uuid(), l.complaint_id, entry.id, entry.recorded_at, l.kind
    FROM ${p.unnest('lateNotes', LATE_NOTES, 'l')}
    CROSS JOIN LATERAL (
      SELECT s.id, s.recorded_at FROM status_events s
      WHERE s.complaint_id = l.complaint_id AND s.status = l.status::"ComplaintStatus"
        AND s.portal_code = l.portal_code AND s.occurred_at = l.occurred_at
      ORDER BY s.id LIMIT 1
    ) entry
    ON CONFLICT (status_event_id, status_event_recorded_at) DO NOTHING
  ), complaint AS (
    UPDATE complaints c SET
      status = coalesce(v.status::"ComplaintStatus", c.status),
      status_at = coalesce(v.status_at, c.status_at),
      status_from = coalesce(v.status_from::"ComplaintStatus", c.status_from),
      ${keepOrClear('resolved_at')},
      ${keepOrClear('resolved_by_portal')},
      ${keepOrClear('resolution_remarks')},
      ${keepOrClear('closed_at')},
      appealed_at = coalesce(v.appealed_at, c.appealed_at),
      appeal_due_at = coalesce(v.appeal_due_at, c.appeal_due_at),
      transferred_at = least(c.transferred_at, v.transferred_at),
      primary_portal_code = coalesce(v.primary_portal_code, c.primary_portal_code),
      updated_at = now()
    FROM ${p.unnest('updates', UPDATES, 'v')}
    WHERE c.id = v.id
  )`;
}
