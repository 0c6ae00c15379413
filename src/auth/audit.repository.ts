import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../platform/database/prisma.service';

export interface AuditRecord {
  apiKeyId: string | null;
  actor: string;
  role: string | null;
  action: string;
  target: string | null;
  outcome: string;
  detail: Record<string, unknown> | null;
  /** Made by the hub for this request (X-Request-Id of the answer). */
  requestId: string | null;
  /** The X-Request-Id the client sent, for its own correlation; not unique, not trusted. */
  clientRequestId: string | null;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insert(r: AuditRecord): Promise<void> {
    await this.prisma.auditEntry.create({
      data: { ...r, detail: (r.detail ?? undefined) as Prisma.InputJsonValue | undefined },
    });
  }

  recent(limit: number) {
    return this.prisma.auditEntry.findMany({
      orderBy: { at: 'desc' },
      take: limit,
    });
  }
}
