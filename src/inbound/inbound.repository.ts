import { Injectable } from '@nestjs/common';
import type { StatusUpdate } from '../../adapters/adapter';
import { NamedParams, type ColumnTypes, type RowOf } from '../platform/database/named-params';
import { PrismaService } from '../platform/database/prisma.service';
import { storeInboundEvents } from './waiting-events.sql';
import { prepared } from '../platform/database/prepared';

export interface NewInboundEvent {
  portalCode: string;
  update: StatusUpdate;
  dispatchId: string;
  complaintId: string;
  via: 'push' | 'poll';
  correlationId: string;
}

export interface KnownDispatch {
  id: string;
  complaintId: string;
  lodgedAt: Date;
}

const DISPATCHES_BY_REF = prepared(`
  SELECT d.id::text, d.complaint_id::text AS "complaintId", d.external_ref AS "externalRef",
         c.created_at AS "lodgedAt"
  FROM dispatches d JOIN complaints c ON c.id = d.complaint_id
  WHERE d.portal_code = $1 AND d.external_ref = ANY($2::text[])`);

// The columns an event is sent as (NamedParams: each row is an object keyed by column).
const EVENT = {
  event_id: 'text',
  external_ref: 'text',
  native_status: 'text',
  status: 'text',
  occurred_at: 'timestamptz',
  remarks: 'text',
  transferred_to: 'text',
  raw: 'text',
  portal_code: 'text',
  via: 'text',
  correlation_id: 'text',
} as const satisfies ColumnTypes;
const NEW_EVENT = { ...EVENT, dispatch_id: 'uuid', complaint_id: 'uuid' } as const;

// One statement for a whole batch, on the shared pool (no per-row objects through Prisma). The
// key decides: an event is stored only if its (portal, eventId) key is new (inbound_events is
// partitioned by month and cannot hold that unique itself, decision 0031).
const inserted = new NamedParams();
const INSERT_NEW = prepared(`
  WITH e AS (
    SELECT * FROM ${inserted.unnest('events', NEW_EVENT, 'e')}
  ), ${storeInboundEvents('e')}
  SELECT event_id AS "eventId" FROM inbound`);

// Events for references no dispatch holds yet; the delivery that records one moves them to
// inbound_events (dispatch.repository MARK_DELIVERED), the waiting-events sweep catches races.
const waiting = new NamedParams();
const INSERT_WAITING = prepared(`
  INSERT INTO waiting_status_events (id, portal_code, event_id, external_ref, native_status,
    status, occurred_at, remarks, transferred_to, via, raw, correlation_id)
  SELECT gen_random_uuid(), portal_code, event_id, external_ref, native_status,
         status::"ComplaintStatus", occurred_at, remarks, transferred_to, via, raw::jsonb,
         correlation_id
  FROM ${waiting.unnest('events', EVENT, 'e')}
  ON CONFLICT (portal_code, event_id) DO NOTHING
  RETURNING event_id AS "eventId"`);

/**
 * Rows in event-id order: two requests inserting overlapping batches (a portal re-sending one
 * in another order) then take the unique index's entries in the same order, so one waits for
 * the other instead of deadlocking (seen as a failed push in the PgBouncer e2e run).
 */
function inEventIdOrder<R extends { event_id: unknown }>(rows: R[]): R[] {
  const id = (r: R) => String(r.event_id);
  return rows.sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}

/** An update as a row of EVENT. */
function eventRow(
  u: StatusUpdate,
  from: { portalCode: string; via: string; correlationId: string },
): RowOf<typeof EVENT> {
  return {
    event_id: u.eventId,
    external_ref: u.externalRef,
    native_status: u.nativeStatus,
    status: u.status,
    occurred_at: new Date(u.occurredAt),
    remarks: u.remarks ?? null,
    transferred_to: u.transferredTo ?? null,
    raw: JSON.stringify(u.raw ?? null),
    portal_code: from.portalCode,
    via: from.via,
    correlation_id: from.correlationId,
  };
}

@Injectable()
export class InboundRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The portal's reference → our dispatch and when its grievance was lodged, for one request. */
  async dispatchesByRef(portalCode: string, refs: string[]): Promise<Map<string, KnownDispatch>> {
    const { rows } = await this.prisma.sql<KnownDispatch & { externalRef: string }>(
      DISPATCHES_BY_REF,
      [portalCode, [...new Set(refs)]],
    );
    return new Map(rows.map(({ externalRef, ...d }) => [externalRef, d]));
  }

  /**
   * Stores the events in one statement; an eventId the portal already sent is skipped.
   * Returns the eventIds stored now (the others were duplicates).
   */
  async insertNew(events: NewInboundEvent[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const { rows } = await this.prisma.sql<{ eventId: string }>(
      INSERT_NEW,
      inserted.values({
        events: inEventIdOrder(
          events.map((e): RowOf<typeof NEW_EVENT> => ({
            ...eventRow(e.update, e),
            dispatch_id: e.dispatchId,
            complaint_id: e.complaintId,
          })),
        ),
      }),
    );
    return new Set(rows.map((r) => r.eventId));
  }

  /** Keeps events whose reference is not known yet; returns the eventIds stored now. */
  async insertWaiting(
    updates: StatusUpdate[],
    from: { portalCode: string; via: 'push' | 'poll'; correlationId: string },
  ): Promise<Set<string>> {
    if (updates.length === 0) return new Set();
    const { rows } = await this.prisma.sql<{ eventId: string }>(
      INSERT_WAITING,
      waiting.values({ events: inEventIdOrder(updates.map((u) => eventRow(u, from))) }),
    );
    return new Set(rows.map((r) => r.eventId));
  }
}
