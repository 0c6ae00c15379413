import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';
import { PrismaService } from '../platform/database/prisma.service';
import { NamedParams, type ColumnTypes, type RowOf } from '../platform/database/named-params';
import { withTransaction } from '../platform/database/with-transaction';
import {
  LATE_NOTES,
  NOTES,
  plannedStatusCtes,
  TIMELINE,
  UPDATES,
  updateRow,
} from '../lifecycle/lifecycle.sql';
import type { ComplaintWrites, LockedComplaint, PendingEvent } from './status-batch-plan';

// Locks, in id order (two batches sharing grievances cannot deadlock), every grievance with an
// unprocessed event among $1. The batch's events are looked up one id at a time by each
// partition's primary key (id, received_at), then filtered on processed_at: with `id = ANY($1)
// AND processed_at IS NULL` together, PostgreSQL read the unprocessed-events index (every
// unprocessed event) and filtered it by id when a partition's statistics were missing (a fresh
// month's) or older than its backlog, and with `id = ANY($1)` alone it read a never-analyzed
// partition whole. Per id (OFFSET 0 keeps each lookup a parameterized scan of its own, and
// processed_at outside it) the key is the only sensible way in. The CTE is not locked: FOR
// UPDATE locks the grievances only, as before.
export const LOCK_COMPLAINTS = `
  WITH batch AS MATERIALIZED (
    SELECT e.complaint_id, e.processed_at
    FROM unnest($1::uuid[]) AS b(id)
    CROSS JOIN LATERAL (SELECT complaint_id, processed_at FROM inbound_events
                        WHERE id = b.id OFFSET 0) e
  )
  SELECT id::text, tracking_id AS "trackingId", category, status::text AS status,
         status_at AS "statusAt", status_from::text AS "statusFrom",
         primary_portal_code AS "primaryPortalCode",
         resolved_at AS "resolvedAt", appealed_at AS "appealedAt", appeal_due_at AS "appealDueAt"
  FROM complaints
  WHERE id IN (SELECT complaint_id FROM batch WHERE processed_at IS NULL)
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
// the old primary of a transferred grievance and touches last_synced_at. The timeline,
// notifications and complaint changes are the lifecycle's (plannedStatusCtes). Parameters are
// named (NamedParams): each unnest's columns are listed once, and its rows are objects keyed by
// column.
const NEW_DISPATCHES = {
  id: 'uuid',
  complaint_id: 'uuid',
  portal_code: 'text',
  is_primary: 'boolean',
  correlation_id: 'text',
} as const satisfies ColumnTypes;
const PROCESSED = { id: 'uuid', outcome: 'text' } as const satisfies ColumnTypes;
const write = new NamedParams();
const WRITE_BATCH = `
  WITH ${plannedStatusCtes(write)}, dispatch AS (
    UPDATE dispatches SET
      "primary" = "primary" AND NOT complaint_id = ANY(${write.array('transferred', 'uuid')}),
      last_synced_at = CASE WHEN id = ANY(${write.array('touched', 'uuid')}) THEN now() ELSE last_synced_at END,
      updated_at = now()
    WHERE id = ANY(${write.array('touched', 'uuid')})
       OR ("primary" AND complaint_id = ANY(${write.array('transferred', 'uuid')}))
  ), new_dispatch AS (
    -- Queued by the dispatch relay (queued_at NULL), like a dispatch of a new grievance.
    INSERT INTO dispatches (id, complaint_id, portal_code, "primary", correlation_id)
    SELECT id, complaint_id, portal_code, is_primary, correlation_id
    FROM ${write.unnest('dispatches', NEW_DISPATCHES, 'd')}
  )
  UPDATE inbound_events e SET processed_at = now(), outcome = p.outcome
  FROM ${write.unnest('processed', PROCESSED, 'p')}
  WHERE e.id = p.id`;

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

    const rows = {
      timeline: [] as RowOf<typeof TIMELINE>[],
      notes: [] as RowOf<typeof NOTES>[],
      lateNotes: [] as RowOf<typeof LATE_NOTES>[],
      updates: [] as RowOf<typeof UPDATES>[],
      transferred: [] as string[],
      touched: [] as string[],
      dispatches: [] as RowOf<typeof NEW_DISPATCHES>[],
      processed: [] as RowOf<typeof PROCESSED>[],
    };
    const touched = new Set<string>();
    const result: BatchResult = { complaints: complaints.length, processed: [] };

    for (const c of complaints) {
      const w = plan(c, byComplaint.get(c.id) ?? []);
      for (const t of w.timeline) {
        const id = randomUUID();
        rows.timeline.push({
          id,
          complaint_id: c.id,
          status: t.status,
          portal_code: t.portalCode,
          remarks: t.remarks,
          occurred_at: t.occurredAt,
        });
        if (t.notify) rows.notes.push({ complaint_id: c.id, status_event_id: id, kind: t.notify });
      }
      for (const n of w.notifyExisting)
        rows.lateNotes.push({
          complaint_id: c.id,
          status: n.status,
          portal_code: n.portalCode,
          occurred_at: n.occurredAt,
          kind: n.notify,
        });
      if (w.update) rows.updates.push(updateRow(c.id, w.update));
      if (w.transfers.length > 0) rows.transferred.push(c.id);
      w.transfers.forEach((t, k) => {
        const id = randomUUID();
        // Each transfer demotes the one before: only the last new dispatch stays primary.
        rows.dispatches.push({
          id,
          complaint_id: c.id,
          portal_code: t.toPortal,
          is_primary: k === w.transfers.length - 1,
          correlation_id: t.correlationId,
        });
      });
      for (const p of w.processed) {
        rows.processed.push({ id: p.id, outcome: p.outcome });
        result.processed.push({ ...p, trackingId: c.trackingId });
      }
      for (const d of w.touched) touched.add(d);
    }
    rows.touched = [...touched];

    await client.query(WRITE_BATCH, write.values(rows));
    return result;
  }
}
