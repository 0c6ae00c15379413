import { Injectable } from '@nestjs/common';
import { LifecycleRepository } from '../lifecycle/lifecycle.repository';
import { PrismaService } from '../platform/database/prisma.service';

@Injectable()
export class PortalRequestsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly lifecycle: LifecycleRepository,
  ) {}

  find(id: string) {
    // The key is (id, created_at) (partitioned by month, decision 0026); the id alone is unique.
    return this.prisma.portalRequest.findFirst({ where: { id } });
  }

  externalRef(dispatchId: string): Promise<{ externalRef: string | null } | null> {
    return this.prisma.dispatch.findUnique({
      where: { id: dispatchId },
      select: { externalRef: true },
    });
  }

  /**
   * An SLA reminder is only worth sending while the grievance (or its appeal) is open at that
   * portal: not after it was resolved or handed to another portal while the reminder waited.
   */
  async reminderStillDue(request: { complaintId: string; dispatchId: string }): Promise<boolean> {
    const { rows } = await this.prisma.sql<{ due: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM dispatches d JOIN complaints c ON c.id = d.complaint_id
         WHERE d.id = $1::uuid AND c.id = $2::uuid AND d."primary"
           -- open, or resolved and under appeal (the appeal-breach reminder)
           AND (c.resolved_at IS NULL OR c.status = 'APPEALED')
       ) AS due`,
      [request.dispatchId, request.complaintId],
    );
    return rows[0].due;
  }

  /** Settled without a call: nothing left to remind the portal of. */
  async markCancelled(id: string, reason: string): Promise<void> {
    await this.prisma.portalRequest.updateMany({
      where: { id, state: 'PENDING' },
      data: { state: 'CANCELLED', lastError: reason },
    });
  }

  /** Sent; an appeal's reference is shown on the timeline. */
  async markSent(
    request: { id: string; complaintId: string; portalCode: string; kind: string },
    portalRef: string | null,
  ): Promise<void> {
    const now = new Date();
    await this.prisma.$transaction(async (tx) => {
      const updated = await tx.portalRequest.updateMany({
        where: { id: request.id, state: 'PENDING' },
        data: {
          state: 'SENT',
          sentAt: now,
          portalRef,
          lastError: null,
          attempts: { increment: 1 },
        },
      });
      if (updated.count === 0 || request.kind !== 'appeal') return;
      await this.lifecycle.noted(tx, {
        complaintId: request.complaintId,
        status: 'APPEALED',
        source: `portal:${request.portalCode}`,
        portalCode: request.portalCode,
        remarks: `Appeal registered at ${request.portalCode}${portalRef ? ` as ${portalRef}` : ''}`,
        occurredAt: now,
      });
    });
  }

  async recordAttempt(id: string, error: string): Promise<void> {
    await this.prisma.portalRequest.updateMany({
      where: { id },
      data: { lastError: error, attempts: { increment: 1 } },
    });
  }

  async markFailed(
    request: { id: string; complaintId: string; portalCode: string; kind: string },
    reason: string,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const updated = await tx.portalRequest.updateMany({
        where: { id: request.id, state: 'PENDING' },
        data: { state: 'FAILED', lastError: reason, attempts: { increment: 1 } },
      });
      if (updated.count === 0 || request.kind !== 'appeal') return;
      // Staff must see an appeal that never reached the appellate authority.
      await this.lifecycle.noted(tx, {
        complaintId: request.complaintId,
        status: 'APPEALED',
        source: 'hub',
        portalCode: request.portalCode,
        remarks: `The appeal could not be forwarded to ${request.portalCode}: ${reason}`,
        occurredAt: new Date(),
      });
    });
  }
}
