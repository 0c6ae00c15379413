import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';

export interface NewComplaint {
  id: string;
  trackingId: string;
  accessTokenHash: string;
  subject: string;
  description: string;
  category: string;
  ministryCode: string | null;
  stateCode: string;
  districtCode: string | null;
  pincode: string;
  language: string;
  complainantCipher: Buffer;
  mobileLookup: string;
  primaryPortalCode: string;
  routingRule: string;
  slaDueAt: Date;
  createdAt: Date;
  dispatches: { id: string; portalCode: string; primary: boolean }[];
  correlationId: string;
}

export interface StoredIdempotentResponse {
  requestHash: string;
  responseStatus: number;
  responseCipher: Uint8Array;
}

export interface IdempotencyRecord {
  key: string;
  requestHash: string;
  responseStatus: number;
  responseCipher: Buffer;
}

/** Thrown inside the intake transaction to roll it back when a concurrent request won the key. */
class IdempotencyKeyTaken extends Error {}

@Injectable()
export class ComplaintsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findIdempotentResponse(key: string): Promise<StoredIdempotentResponse | null> {
    return this.prisma.idempotencyKey.findUnique({
      where: { key },
      select: { requestHash: true, responseStatus: true, responseCipher: true },
    });
  }

  /**
   * The intake transaction: complaint, its dispatches, one outbox row per dispatch, the first
   * timeline entry and the idempotency record commit together or not at all.
   * Returns false when another request committed the same idempotency key first.
   */
  async insertLodged(c: NewComplaint, idempotency: IdempotencyRecord | null): Promise<boolean> {
    const { dispatches, correlationId, ...complaint } = c;
    try {
      await this.prisma.$transaction(async (tx) => {
        await tx.complaint.create({
          data: {
            ...complaint,
            complainantCipher: new Uint8Array(complaint.complainantCipher),
            updatedAt: complaint.createdAt,
            dispatches: { createMany: { data: dispatches } },
            statusEvents: {
              create: { status: 'RECEIVED', source: 'hub', occurredAt: complaint.createdAt },
            },
          },
        });
        await tx.outboxMessage.createMany({
          data: dispatches.map((d) => ({
            topic: 'dispatch.submit',
            payload: { dispatchId: d.id, portalCode: d.portalCode, correlationId },
            createdAt: complaint.createdAt,
          })),
        });
        if (idempotency) {
          const inserted = await tx.$executeRaw`
            INSERT INTO idempotency_keys (key, request_hash, response_status, response_cipher, complaint_id)
            VALUES (${idempotency.key}, ${idempotency.requestHash}, ${idempotency.responseStatus},
                    ${idempotency.responseCipher}, ${complaint.id}::uuid)
            ON CONFLICT (key) DO NOTHING`;
          if (inserted === 0) throw new IdempotencyKeyTaken();
        }
      });
      return true;
    } catch (error) {
      if (error instanceof IdempotencyKeyTaken) return false;
      throw error;
    }
  }

  findForTracking(trackingId: string) {
    return this.prisma.complaint.findUnique({
      where: { trackingId },
      include: {
        dispatches: { orderBy: { createdAt: 'asc' } },
        statusEvents: { orderBy: [{ occurredAt: 'asc' }, { recordedAt: 'asc' }] },
      },
    });
  }
}
