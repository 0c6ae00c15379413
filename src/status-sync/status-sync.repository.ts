import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';
import { PrismaService } from '../platform/database/prisma.service';
import { withTransaction } from '../platform/database/with-transaction';
import type { ComplaintWrites, LockedComplaint, PendingEvent } from './status-batch-plan';

// Locks, in id order (two batches sharing grievances cannot deadlock), every grievance with an
// unprocessed event among $1.
const LOCK_COMPLAINTS = `
  SELECT id::text, tracking_id AS "trackingId", category, status::text AS status,
         status_at AS "statusAt", primary_portal_code AS "primaryPortalCode",
         resolved_at AS "resolvedAt", appealed_at AS "appealedAt", appeal_due_at AS "appealDueAt"
  FROM complaints
  WHERE id IN (SELECT complaint_id FROM inbound_events
               WHERE id = ANY($1::uuid[]) AND processed_at IS NULL)
  ORDER BY id FOR UPDATE`;

// Unprocessed events of the locked grievances, plus earlier ones kept as not-allowed or
// same-status that may apply now (not older than the status: their predecessor may have arrived
// after them), oldest first; primary = the dispatch's flag at lock time.
const PENDING_EVENTS = `
  SELECT e.id::text, e.complaint_id::text AS "complaintId", e.portal_code AS "portalCode",
         e.event_id AS "eventId", e.dispatch_id::text AS "dispatchId",
         coalesce(d."primary", false) AS "dispatchPrimary", e.status::text AS status,
         e.native_status AS "nativeStatus", e.occurred_at AS "occurredAt", e.remarks,
         e.transferred_to AS "transferredTo", e.correlation_id AS "correlationId",
         e.processed_at AS "processedAt"
  FROM complaints c
  JOIN inbound_events e ON e.complaint_id = c.id
  LEFT JOIN dispatches d ON d.id = e.dispatch_id AND d.complaint_id = e.complaint_id
  WHERE c.id = ANY($1::uuid[])
    AND (e.processed_at IS NULL
         OR (e.outcome IN ('not-allowed', 'same-status')
             AND e.occurred_at >= coalesce(c.status_at, 'epoch')))
  ORDER BY e.complaint_id, e.occurred_at, e.received_at`;

// Every write of a batch in one statement (one round trip). Data-modifying CTEs all run on the
// same snapshot, so each table is written by one of them only: the dispatch UPDATE both demotes
// the old primary of a transferred grievance and touches last_synced_at. A null keeps a complaint
// column: the planner never sets any of them back to null.
const WRITE_BATCH = `
  WITH timeline AS (
    INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
    SELECT id, complaint_id, status::"ComplaintStatus", 'portal:' || portal_code, portal_code,
           remarks, occurred_at
    FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
         AS t(id, complaint_id, status, portal_code, remarks, occurred_at)
  ), notification AS (
    INSERT INTO notifications (id, complaint_id, status_event_id, kind)
    SELECT gen_random_uuid(), complaint_id, status_event_id, kind
    FROM unnest($7::uuid[], $8::uuid[], $9::text[]) AS n(complaint_id, status_event_id, kind)
  ), late_notification AS (
    -- An event deferred earlier that applies now: notify on the timeline entry it got then.
    INSERT INTO notifications (id, complaint_id, status_event_id, kind)
    SELECT gen_random_uuid(), l.complaint_id, entry.id, l.kind
    FROM unnest($29::uuid[], $30::text[], $31::text[], $32::timestamptz[], $33::text[])
         AS l(complaint_id, status, portal_code, occurred_at, kind)
    CROSS JOIN LATERAL (
      SELECT s.id FROM status_events s
      WHERE s.complaint_id = l.complaint_id AND s.status = l.status::"ComplaintStatus"
        AND s.portal_code = l.portal_code AND s.occurred_at = l.occurred_at
      ORDER BY s.id LIMIT 1
    ) entry
    ON CONFLICT (status_event_id) DO NOTHING
  ), complaint AS (
    UPDATE complaints c SET
      status = coalesce(v.status::"ComplaintStatus", c.status),
      status_at = coalesce(v.status_at, c.status_at),
      resolved_at = coalesce(v.resolved_at, c.resolved_at),
      resolved_by_portal = coalesce(v.resolved_by_portal, c.resolved_by_portal),
      resolution_remarks = coalesce(v.resolution_remarks, c.resolution_remarks),
      closed_at = coalesce(v.closed_at, c.closed_at),
      appealed_at = coalesce(v.appealed_at, c.appealed_at),
      appeal_due_at = coalesce(v.appeal_due_at, c.appeal_due_at),
      primary_portal_code = coalesce(v.primary_portal_code, c.primary_portal_code),
      updated_at = now()
    FROM unnest($10::uuid[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::text[],
                $15::text[], $16::timestamptz[], $17::timestamptz[], $18::timestamptz[],
                $19::text[])
         AS v(id, status, status_at, resolved_at, resolved_by_portal, resolution_remarks,
              closed_at, appealed_at, appeal_due_at, primary_portal_code)
    WHERE c.id = v.id
  ), dispatch AS (
    UPDATE dispatches SET
      "primary" = "primary" AND NOT complaint_id = ANY($20::uuid[]),
      last_synced_at = CASE WHEN id = ANY($21::uuid[]) THEN now() ELSE last_synced_at END,
      updated_at = now()
    WHERE id = ANY($21::uuid[]) OR ("primary" AND complaint_id = ANY($20::uuid[]))
  ), new_dispatch AS (
    INSERT INTO dispatches (id, complaint_id, portal_code, "primary")
    SELECT * FROM unnest($22::uuid[], $23::uuid[], $24::text[], $25::boolean[])
  ), outbox AS (
    INSERT INTO outbox (id, topic, payload)
    SELECT gen_random_uuid(), 'dispatch.submit', p::jsonb FROM unnest($26::text[]) AS p
  )
  UPDATE inbound_events e SET processed_at = now(), outcome = v.outcome
  FROM unnest($27::uuid[], $28::text[]) AS v(id, outcome)
  WHERE e.id = v.id`;

export type PlanComplaint = (complaint: LockedComplaint, events: PendingEvent[]) => ComplaintWrites;

export interface BatchResult {
  complaints: number;
  processed: (ComplaintWrites['processed'][number] & { trackingId: string })[];
}

/** Status sync's reads and writes: four statements in one transaction on the shared pool. */
@Injectable()
export class StatusSyncRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Locks every grievance with an unprocessed event among `inboundIds`, plans each one's pending
   * events with `plan` and writes all of it in one transaction. Idempotent: a processed event is
   * not pending any more, so a rerun finds nothing to do.
   */
  applyPending(inboundIds: string[], plan: PlanComplaint): Promise<BatchResult> {
    // A connection reset while the batch holds its connection rejects the batch, never the
    // process (withTransaction); the job is retried.
    return withTransaction(this.prisma.pool, (client) =>
      this.inTransaction(client, inboundIds, plan),
    );
  }

  private async inTransaction(
    client: ClientBase,
    inboundIds: string[],
    plan: PlanComplaint,
  ): Promise<BatchResult> {
    const { rows: complaints } = await client.query<LockedComplaint>(LOCK_COMPLAINTS, [inboundIds]);
    if (complaints.length === 0) return { complaints: 0, processed: [] };
    const { rows: events } = await client.query<PendingEvent & { complaintId: string }>(
      PENDING_EVENTS,
      [complaints.map((c) => c.id)],
    );
    const byComplaint = new Map<string, PendingEvent[]>();
    for (const e of events) {
      const list = byComplaint.get(e.complaintId);
      if (list) list.push(e);
      else byComplaint.set(e.complaintId, [e]);
    }

    const timeline = columns(6);
    const notes = columns(3);
    const lateNotes = columns(5);
    const updates = columns(10);
    const transferred: string[] = [];
    const dispatches = columns(4);
    const outbox: string[] = [];
    const processed = columns(2);
    const touched = new Set<string>();
    const result: BatchResult = { complaints: complaints.length, processed: [] };

    for (const c of complaints) {
      const w = plan(c, byComplaint.get(c.id) ?? []);
      for (const t of w.timeline) {
        const id = randomUUID();
        push(timeline, id, c.id, t.status, t.portalCode, t.remarks, t.occurredAt);
        if (t.notify) push(notes, c.id, id, t.notify);
      }
      for (const n of w.notifyExisting)
        push(lateNotes, c.id, n.status, n.portalCode, n.occurredAt, n.notify);
      if (w.update) {
        const u = w.update;
        push(
          updates,
          c.id,
          u.status ?? null,
          u.statusAt ?? null,
          u.resolvedAt ?? null,
          u.resolvedByPortal ?? null,
          u.resolutionRemarks ?? null,
          u.closedAt ?? null,
          u.appealedAt ?? null,
          u.appealDueAt ?? null,
          u.primaryPortalCode ?? null,
        );
      }
      if (w.transfers.length > 0) transferred.push(c.id);
      w.transfers.forEach((t, k) => {
        const id = randomUUID();
        // Each transfer demotes the one before: only the last new dispatch stays primary.
        push(dispatches, id, c.id, t.toPortal, k === w.transfers.length - 1);
        outbox.push(
          JSON.stringify({
            dispatchId: id,
            portalCode: t.toPortal,
            correlationId: t.correlationId,
          }),
        );
      });
      for (const p of w.processed) {
        push(processed, p.id, p.outcome);
        result.processed.push({ ...p, trackingId: c.trackingId });
      }
      for (const d of w.touched) touched.add(d);
    }

    await client.query(WRITE_BATCH, [
      ...timeline,
      ...notes,
      ...updates,
      transferred,
      [...touched],
      ...dispatches,
      outbox,
      ...processed,
      ...lateNotes,
    ]);
    return result;
  }
}

/** Column arrays for one unnest statement. */
function columns(n: number): unknown[][] {
  return Array.from({ length: n }, () => []);
}

function push(cols: unknown[][], ...values: unknown[]): void {
  values.forEach((v, k) => cols[k].push(v));
}
