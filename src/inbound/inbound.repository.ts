import { Injectable } from '@nestjs/common';
import type { StatusUpdate } from '../../adapters/adapter';
import { PrismaService } from '../platform/database/prisma.service';

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

const DISPATCHES_BY_REF = `
  SELECT d.id::text, d.complaint_id::text AS "complaintId", d.external_ref AS "externalRef",
         c.created_at AS "lodgedAt"
  FROM dispatches d JOIN complaints c ON c.id = d.complaint_id
  WHERE d.portal_code = $1 AND d.external_ref = ANY($2::text[])`;

// One statement for a whole batch, on the shared pool (no per-row objects through Prisma).
const INSERT_NEW = `
  INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id, complaint_id,
    native_status, status, occurred_at, remarks, transferred_to, via, raw, correlation_id)
  SELECT gen_random_uuid(), portal_code, event_id, external_ref, dispatch_id, complaint_id,
         native_status, status::"ComplaintStatus", occurred_at, remarks, transferred_to, via,
         raw::jsonb, correlation_id
  FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::text[],
              $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
       AS e(portal_code, event_id, external_ref, dispatch_id, complaint_id, native_status, status,
            occurred_at, remarks, transferred_to, via, raw, correlation_id)
  ON CONFLICT (portal_code, event_id) DO NOTHING
  RETURNING event_id AS "eventId"`;

// Events for references no dispatch holds yet; the delivery that records one moves them to
// inbound_events (dispatch.repository MARK_DELIVERED), the waiting-events sweep catches races.
const INSERT_WAITING = `
  INSERT INTO waiting_status_events (id, portal_code, event_id, external_ref, native_status,
    status, occurred_at, remarks, transferred_to, via, raw, correlation_id)
  SELECT gen_random_uuid(), $1, event_id, external_ref, native_status,
         status::"ComplaintStatus", occurred_at, remarks, transferred_to, $2, raw::jsonb, $3
  FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[],
              $10::text[], $11::text[])
       AS e(event_id, external_ref, native_status, status, occurred_at, remarks, transferred_to,
            raw)
  ON CONFLICT (portal_code, event_id) DO NOTHING
  RETURNING event_id AS "eventId"`;

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
    const cols: unknown[][] = Array.from({ length: 13 }, () => []);
    for (const e of events) {
      const u = e.update;
      [
        e.portalCode,
        u.eventId,
        u.externalRef,
        e.dispatchId,
        e.complaintId,
        u.nativeStatus,
        u.status,
        new Date(u.occurredAt),
        u.remarks ?? null,
        u.transferredTo ?? null,
        e.via,
        JSON.stringify(u.raw ?? null),
        e.correlationId,
      ].forEach((v, k) => cols[k].push(v));
    }
    const { rows } = await this.prisma.sql<{ eventId: string }>(INSERT_NEW, cols);
    return new Set(rows.map((r) => r.eventId));
  }

  /** Keeps events whose reference is not known yet; returns the eventIds stored now. */
  async insertWaiting(
    updates: StatusUpdate[],
    from: { portalCode: string; via: 'push' | 'poll'; correlationId: string },
  ): Promise<Set<string>> {
    if (updates.length === 0) return new Set();
    const cols: unknown[][] = Array.from({ length: 8 }, () => []);
    for (const u of updates) {
      [
        u.eventId,
        u.externalRef,
        u.nativeStatus,
        u.status,
        new Date(u.occurredAt),
        u.remarks ?? null,
        u.transferredTo ?? null,
        JSON.stringify(u.raw ?? null),
      ].forEach((v, k) => cols[k].push(v));
    }
    const { rows } = await this.prisma.sql<{ eventId: string }>(INSERT_WAITING, [
      from.portalCode,
      from.via,
      from.correlationId,
      ...cols,
    ]);
    return new Set(rows.map((r) => r.eventId));
  }
}
