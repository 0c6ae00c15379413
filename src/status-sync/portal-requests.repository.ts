import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';

@Injectable()
export class PortalRequestsRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(id: string) {
    return this.prisma.portalRequest.findUnique({ where: { id } });
  }

  externalRef(dispatchId: string): Promise<{ externalRef: string | null } | null> {
    return this.prisma.dispatch.findUnique({
      where: { id: dispatchId },
      select: { externalRef: true },
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
      await tx.statusEvent.create({
        data: {
          complaintId: request.complaintId,
          status: 'APPEALED',
          source: `portal:${request.portalCode}`,
          portalCode: request.portalCode,
          remarks: `Appeal registered at ${request.portalCode}${portalRef ? ` as ${portalRef}` : ''}`,
          occurredAt: now,
        },
      });
    });
  }

  async recordAttempt(id: string, error: string): Promise<void> {
    await this.prisma.portalRequest.update({
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
      await tx.statusEvent.create({
        data: {
          complaintId: request.complaintId,
          status: 'APPEALED',
          source: 'hub',
          portalCode: request.portalCode,
          remarks: `The appeal could not be forwarded to ${request.portalCode}: ${reason}`,
          occurredAt: new Date(),
        },
      });
    });
  }
}
