import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';

export interface OutboxEntry {
  id: string;
  dispatchId: string;
  portalCode: string;
  correlationId: string;
}

@Injectable()
export class DispatchRepository {
  constructor(private readonly prisma: PrismaService) {}

  findForDelivery(dispatchId: string) {
    return this.prisma.dispatch.findUnique({
      where: { id: dispatchId },
      include: { complaint: true },
    });
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
            RETURNING c.id, c.primary_portal_code, c.routing_rule
          )
          INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
          SELECT gen_random_uuid(), id, 'ROUTED', 'hub', primary_portal_code,
                 'Routed to ' || primary_portal_code || ' (rule ' || routing_rule || ')', now()
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
    return this.prisma.dispatch.update({
      where: { id: dispatchId },
      data: { attempts: { increment: 1 }, inFlightSince: new Date() },
    });
  }

  recordAttemptError(dispatchId: string, error: string, stillAmbiguous: boolean): Promise<unknown> {
    return this.prisma.dispatch.update({
      where: { id: dispatchId },
      data: { lastError: error, ...(stillAmbiguous ? {} : { inFlightSince: null }) },
    });
  }

  async markDelivered(
    dispatch: { id: string; complaintId: string; portalCode: string; primary: boolean },
    externalRef: string,
    deliveredAt: Date,
    slaDueAt: Date,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const updated = await tx.dispatch.updateMany({
        where: { id: dispatch.id, status: 'PENDING' },
        data: {
          status: 'DELIVERED',
          externalRef,
          deliveredAt,
          lastSyncedAt: deliveredAt,
          inFlightSince: null,
          lastError: null,
        },
      });
      if (updated.count === 0 || !dispatch.primary) return;
      const moved = await tx.complaint.updateMany({
        where: { id: dispatch.complaintId, status: { in: ['RECEIVED', 'ROUTED'] } },
        data: { status: 'DELIVERED', deliveredAt, slaDueAt },
      });
      // After a transfer the new portal takes over; the SLA clock keeps its first deadline.
      const taken =
        moved.count > 0
          ? moved
          : await tx.complaint.updateMany({
              where: { id: dispatch.complaintId, status: 'TRANSFERRED' },
              data: { status: 'DELIVERED' },
            });
      if (taken.count === 0) return;
      const event = await tx.statusEvent.create({
        data: {
          complaintId: dispatch.complaintId,
          status: 'DELIVERED',
          source: `portal:${dispatch.portalCode}`,
          portalCode: dispatch.portalCode,
          remarks: `Registered at ${dispatch.portalCode} as ${externalRef}`,
          occurredAt: deliveredAt,
        },
      });
      // The citizen is told (src/notifications); the status relay queues the row.
      await tx.notification.create({
        data: { complaintId: dispatch.complaintId, statusEventId: event.id, kind: 'registered' },
      });
    });
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
