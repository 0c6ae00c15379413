import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CanonicalStatus } from '../../adapters/adapter';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../platform/database/prisma.service';
import type { ComplaintChange, ComplaintState, NotificationKind } from './status-plan';

type Tx = Prisma.TransactionClient;

export interface LockedComplaint extends ComplaintState {
  id: string;
  trackingId: string;
  category: string;
}

export interface PendingEvent {
  id: string;
  portalCode: string;
  eventId: string;
  dispatchId: string;
  dispatchPrimary: boolean;
  status: CanonicalStatus;
  nativeStatus: string;
  occurredAt: Date;
  remarks: string | null;
  transferredTo: string | null;
  correlationId: string;
  /** Set for an event seen before whose transition was not allowed then (reordered delivery). */
  processedAt: Date | null;
}

/** Everything the status processor writes, inside one transaction holding the grievance's row lock. */
export class ComplaintUnit {
  constructor(
    private readonly tx: Tx,
    readonly complaint: LockedComplaint,
  ) {}

  /** Unprocessed events, plus earlier ones refused as not-allowed that may fit now, oldest first. */
  async pendingEvents(): Promise<PendingEvent[]> {
    const since = this.complaint.statusAt ?? new Date(0);
    const rows = await this.tx.inboundEvent.findMany({
      where: {
        complaintId: this.complaint.id,
        OR: [{ processedAt: null }, { outcome: 'not-allowed', occurredAt: { gte: since } }],
      },
      orderBy: [{ occurredAt: 'asc' }, { receivedAt: 'asc' }],
    });
    const primary = await this.tx.dispatch.findMany({
      where: { complaintId: this.complaint.id, primary: true },
      select: { id: true },
    });
    const primaryIds = new Set(primary.map((d) => d.id));
    return rows.map((r) => ({ ...r, dispatchPrimary: primaryIds.has(r.dispatchId) }));
  }

  async addTimeline(e: PendingEvent, status: CanonicalStatus, remarks: string): Promise<string> {
    const created = await this.tx.statusEvent.create({
      data: {
        complaintId: this.complaint.id,
        status,
        source: `portal:${e.portalCode}`,
        portalCode: e.portalCode,
        remarks,
        occurredAt: e.occurredAt,
      },
      select: { id: true },
    });
    return created.id;
  }

  async apply(change: ComplaintChange): Promise<void> {
    await this.tx.complaint.update({ where: { id: this.complaint.id }, data: change });
    Object.assign(this.complaint, change);
  }

  async markProcessed(eventId: string, outcome: string): Promise<void> {
    await this.tx.inboundEvent.update({
      where: { id: eventId },
      data: { processedAt: new Date(), outcome },
    });
  }

  async touchDispatch(dispatchId: string): Promise<void> {
    await this.tx.dispatch.update({
      where: { id: dispatchId },
      data: { lastSyncedAt: new Date() },
    });
  }

  async notify(statusEventId: string, kind: NotificationKind): Promise<void> {
    await this.tx.notification.create({
      data: { complaintId: this.complaint.id, statusEventId, kind },
    });
  }

  /**
   * Re-routes to another portal through the intake path: a new primary dispatch and its outbox
   * row (the relay queues it). The SLA deadline stays as it is.
   */
  async transfer(toPortal: string, correlationId: string): Promise<string> {
    const id = randomUUID();
    await this.tx.dispatch.updateMany({
      where: { complaintId: this.complaint.id, primary: true },
      data: { primary: false },
    });
    await this.tx.dispatch.create({
      data: { id, complaintId: this.complaint.id, portalCode: toPortal, primary: true },
    });
    await this.tx.outboxMessage.create({
      data: {
        topic: 'dispatch.submit',
        payload: { dispatchId: id, portalCode: toPortal, correlationId },
      },
    });
    await this.tx.complaint.update({
      where: { id: this.complaint.id },
      data: { primaryPortalCode: toPortal },
    });
    this.complaint.primaryPortalCode = toPortal;
    return id;
  }
}

@Injectable()
export class StatusSyncRepository {
  constructor(private readonly prisma: PrismaService) {}

  inboundEvent(id: string) {
    return this.prisma.inboundEvent.findUnique({
      where: { id },
      select: { complaintId: true, processedAt: true },
    });
  }

  /** Runs `work` holding the grievance's row lock: events of one grievance apply one at a time. */
  async withLockedComplaint<T>(
    complaintId: string,
    work: (unit: ComplaintUnit) => Promise<T>,
  ): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<LockedComplaint[]>`
          SELECT id, tracking_id AS "trackingId", category, status::text AS status,
                 status_at AS "statusAt", primary_portal_code AS "primaryPortalCode",
                 resolved_at AS "resolvedAt", appealed_at AS "appealedAt",
                 appeal_due_at AS "appealDueAt"
          FROM complaints WHERE id = ${complaintId}::uuid FOR UPDATE`;
        if (rows.length === 0) throw new Error(`complaint ${complaintId} vanished`);
        return work(new ComplaintUnit(tx, rows[0]));
      },
      { timeout: 30_000 },
    );
  }
}
