import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';
import { isUniqueViolation } from '../platform/database/unique-violation';

export interface OutboxEntry {
  id: string;
  dispatchId: string;
  portalCode: string;
  correlationId: string;
}

export interface DeliverableDispatch {
  id: string;
  complaintId: string;
  portalCode: string;
  primary: boolean;
  status: string;
  inFlightSince: Date | null;
  complaint: {
    id: string;
    trackingId: string;
    subject: string;
    description: string;
    category: string;
    ministryCode: string | null;
    stateCode: string;
    districtCode: string | null;
    pincode: string;
    language: string;
    complainantCipher: Buffer | null;
    createdAt: Date;
    deliveredAt: Date | null;
    slaDueAt: Date | null;
  };
}

type DeliverableRow = Omit<DeliverableDispatch, 'complaint'> &
  Omit<DeliverableDispatch['complaint'], 'id' | 'deliveredAt' | 'complainantCipher'> & {
    complaintCipher: Buffer | null;
    complaintDeliveredAt: Date | null;
  };

const FIND_FOR_DELIVERY = `
  SELECT d.id, d.complaint_id AS "complaintId", d.portal_code AS "portalCode", d."primary",
         d.status::text AS status, d.in_flight_since AS "inFlightSince",
         c.tracking_id AS "trackingId", c.subject, c.description, c.category,
         c.ministry_code AS "ministryCode", c.state_code AS "stateCode",
         c.district_code AS "districtCode", c.pincode, c.language,
         c.complainant_cipher AS "complaintCipher", c.created_at AS "createdAt",
         c.delivered_at AS "complaintDeliveredAt", c.sla_due_at AS "slaDueAt"
  FROM dispatches d JOIN complaints c ON c.id = d.complaint_id
  WHERE d.id = $1::uuid`;

// $1 dispatch id, $2 the portal's reference, $3 delivered at, $4 SLA due at, $5 portal code.
const MARK_DELIVERED = `
  WITH dispatch AS (
    UPDATE dispatches SET status = 'DELIVERED', external_ref = $2, delivered_at = $3,
           last_synced_at = $3, in_flight_since = NULL, last_error = NULL, updated_at = now()
    WHERE id = $1::uuid AND status = 'PENDING'
    RETURNING complaint_id, "primary"
  ), complaint AS (
    UPDATE complaints c SET status = 'DELIVERED', updated_at = now(),
           delivered_at = CASE WHEN c.status = 'TRANSFERRED' THEN c.delivered_at ELSE $3 END,
           sla_due_at = CASE WHEN c.status = 'TRANSFERRED' THEN c.sla_due_at ELSE $4 END
    FROM dispatch d
    WHERE d."primary" AND c.id = d.complaint_id
      AND c.status IN ('RECEIVED', 'ROUTED', 'TRANSFERRED')
    RETURNING c.id
  ), event AS (
    INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
    SELECT gen_random_uuid(), id, 'DELIVERED', 'portal:' || $5::text, $5::text,
           'Registered at ' || $5::text || ' as ' || $2::text, $3
    FROM complaint
    RETURNING id, complaint_id
  )
  -- The citizen is told (src/notifications); the status relay queues the row.
  INSERT INTO notifications (id, complaint_id, status_event_id, kind)
  SELECT gen_random_uuid(), complaint_id, id, 'registered' FROM event`;

@Injectable()
export class DispatchRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The dispatch and the grievance it carries, in one round trip (hot path: once per delivery). */
  async findForDelivery(dispatchId: string): Promise<DeliverableDispatch | null> {
    const { rows } = await this.prisma.sql<DeliverableRow>(FIND_FOR_DELIVERY, [dispatchId]);
    if (rows.length === 0) return null;
    const { complaintCipher, ...r } = rows[0];
    const complaint = {
      id: r.complaintId,
      trackingId: r.trackingId,
      subject: r.subject,
      description: r.description,
      category: r.category,
      ministryCode: r.ministryCode,
      stateCode: r.stateCode,
      districtCode: r.districtCode,
      pincode: r.pincode,
      language: r.language,
      complainantCipher: complaintCipher,
      createdAt: r.createdAt,
      deliveredAt: r.complaintDeliveredAt,
      slaDueAt: r.slaDueAt,
    };
    return {
      id: r.id,
      complaintId: r.complaintId,
      portalCode: r.portalCode,
      primary: r.primary,
      status: r.status,
      inFlightSince: r.inFlightSince,
      complaint,
    };
  }

  /**
   * Claims a batch of unpublished outbox rows (other relays skip them), marks them published,
   * moves their complaints RECEIVED → ROUTED, then lets `publish` hand them to the queue before
   * the transaction commits: if publishing throws, everything stays unpublished for the next pass.
   */
  async relayBatch(
    limit: number,
    publish: (rows: OutboxEntry[]) => Promise<void>,
  ): Promise<number> {
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<{ id: string; payload: Omit<OutboxEntry, 'id'> }[]>`
          SELECT id, payload FROM outbox
          WHERE published_at IS NULL
          ORDER BY created_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        const ids = rows.map((r) => r.id);
        const dispatchIds = rows.map((r) => r.payload.dispatchId);
        await tx.$executeRaw`UPDATE outbox SET published_at = now() WHERE id = ANY(${ids}::uuid[])`;
        await tx.$executeRaw`
          WITH routed AS (
            UPDATE complaints c SET status = 'ROUTED', updated_at = now()
            FROM dispatches d
            WHERE d.id = ANY(${dispatchIds}::uuid[]) AND d."primary" AND c.id = d.complaint_id
              AND c.status = 'RECEIVED'
            RETURNING c.id, c.primary_portal_code, c.routing_rule, c.created_at
          )
          INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
          SELECT gen_random_uuid(), id, 'ROUTED', 'hub', primary_portal_code,
                 'Routed to ' || primary_portal_code || ' (rule ' || routing_rule || ')',
                 -- now() is when this transaction began, which can precede the intake commit
                 -- it then saw: never let ROUTED sort before RECEIVED on the timeline.
                 greatest(clock_timestamp(), created_at)
          FROM routed`;
        await publish(rows.map((r) => ({ id: r.id, ...r.payload })));
        return rows.length;
      },
      { timeout: 30_000 },
    );
  }

  /** Dispatches still pending a while after their outbox row was published (their job may be gone). */
  async pendingPublishedBefore(
    cutoff: Date,
    limit: number,
  ): Promise<{ id: string; portalCode: string }[]> {
    return this.prisma.dispatch.findMany({
      where: { status: 'PENDING', updatedAt: { lt: cutoff } },
      select: { id: true, portalCode: true },
      orderBy: { updatedAt: 'asc' },
      take: limit,
    });
  }

  /** Before a submit whose outcome we might never learn: the next attempt must look it up first. */
  markInFlight(dispatchId: string): Promise<unknown> {
    return this.prisma.sql(
      `UPDATE dispatches SET attempts = attempts + 1, in_flight_since = now(), updated_at = now()
       WHERE id = $1::uuid`,
      [dispatchId],
    );
  }

  recordAttemptError(dispatchId: string, error: string, stillAmbiguous: boolean): Promise<unknown> {
    return this.prisma.dispatch.update({
      where: { id: dispatchId },
      data: { lastError: error, ...(stillAmbiguous ? {} : { inFlightSince: null }) },
    });
  }

  /**
   * Settles a delivery in one statement (it was an interactive transaction of up to six round
   * trips, most of the worker's CPU per delivery): the dispatch, then — for the primary one — the
   * grievance (first delivery sets the SLA clock; after a transfer it only becomes DELIVERED
   * again), its timeline entry and the citizen's notification. A dispatch no longer PENDING
   * changes nothing.
   */
  async markDelivered(
    dispatch: { id: string; portalCode: string },
    externalRef: string,
    deliveredAt: Date,
    slaDueAt: Date,
  ): Promise<void> {
    try {
      await this.prisma.sql(MARK_DELIVERED, [
        dispatch.id,
        externalRef,
        deliveredAt,
        slaDueAt,
        dispatch.portalCode,
      ]);
    } catch (error) {
      if (isUniqueViolation(error, 'dispatches_portal_external_ref_key'))
        throw new ExternalRefTakenError(dispatch.portalCode, externalRef);
      throw error;
    }
  }

  async markFailed(
    dispatch: { id: string; complaintId: string; portalCode: string; primary: boolean },
    reason: string,
  ): Promise<void> {
    const failedAt = new Date();
    await this.prisma.$transaction(async (tx) => {
      const updated = await tx.dispatch.updateMany({
        where: { id: dispatch.id, status: 'PENDING' },
        data: { status: 'DISPATCH_FAILED', failedAt, lastError: reason, inFlightSince: null },
      });
      if (updated.count === 0 || !dispatch.primary) return;
      const moved = await tx.complaint.updateMany({
        where: { id: dispatch.complaintId, status: { in: ['RECEIVED', 'ROUTED', 'TRANSFERRED'] } },
        data: { status: 'DISPATCH_FAILED' },
      });
      if (moved.count === 0) return;
      await tx.statusEvent.create({
        data: {
          complaintId: dispatch.complaintId,
          status: 'DISPATCH_FAILED',
          source: 'hub',
          portalCode: dispatch.portalCode,
          remarks: `Delivery to ${dispatch.portalCode} failed: ${reason}`,
          occurredAt: failedAt,
        },
      });
    });
  }
}

/**
 * The portal answered with a reference number another grievance already holds: a portal-side
 * fault (a reset or restored portal numbering again) that no retry can mend.
 */
export class ExternalRefTakenError extends Error {
  override readonly name = 'ExternalRefTakenError';
  constructor(
    readonly portalCode: string,
    readonly externalRef: string,
  ) {
    super(
      `${portalCode} registered the grievance as ${externalRef}, a reference another grievance already holds; ask the portal to correct its numbering, then retry the dispatch`,
    );
  }
}
