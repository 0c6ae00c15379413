import { Injectable } from '@nestjs/common';
import type { StatusUpdate } from '../../adapters/adapter';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../platform/database/prisma.service';

export interface NewInboundEvent {
  portalCode: string;
  update: StatusUpdate;
  dispatchId: string;
  complaintId: string;
  via: 'push' | 'poll';
  correlationId: string;
}

@Injectable()
export class InboundRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The portal's reference → our dispatch, for the references of one request. */
  async dispatchesByRef(
    portalCode: string,
    refs: string[],
  ): Promise<Map<string, { id: string; complaintId: string }>> {
    const rows = await this.prisma.dispatch.findMany({
      where: { portalCode, externalRef: { in: [...new Set(refs)] } },
      select: { id: true, complaintId: true, externalRef: true },
    });
    return new Map(rows.map((r) => [r.externalRef!, { id: r.id, complaintId: r.complaintId }]));
  }

  /**
   * Stores the events in one statement; an eventId the portal already sent is skipped.
   * Returns the eventIds stored now (the others were duplicates).
   */
  async insertNew(events: NewInboundEvent[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const created = await this.prisma.inboundEvent.createManyAndReturn({
      data: events.map((e) => ({
        portalCode: e.portalCode,
        eventId: e.update.eventId,
        externalRef: e.update.externalRef,
        dispatchId: e.dispatchId,
        complaintId: e.complaintId,
        nativeStatus: e.update.nativeStatus,
        status: e.update.status,
        occurredAt: new Date(e.update.occurredAt),
        remarks: e.update.remarks ?? null,
        transferredTo: e.update.transferredTo ?? null,
        via: e.via,
        raw: (e.update.raw ?? null) as Prisma.InputJsonValue,
        correlationId: e.correlationId,
      })),
      skipDuplicates: true,
      select: { eventId: true },
    });
    return new Set(created.map((c) => c.eventId));
  }
}
