import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';

@Injectable()
export class PollRepository {
  constructor(private readonly prisma: PrismaService) {}

  async cursor(portalCode: string): Promise<string | null> {
    const row = await this.prisma.pollCursor.findUnique({ where: { portalCode } });
    return row?.cursor ?? null;
  }

  /** Only after the polled events are stored: a crash before this re-reads them (duplicates, skipped). */
  async advance(portalCode: string, cursor: string | null): Promise<void> {
    const now = new Date();
    await this.prisma.pollCursor.upsert({
      where: { portalCode },
      create: { portalCode, cursor, lastPolledAt: now, updatedAt: now },
      update: { cursor, lastPolledAt: now, lastError: null, updatedAt: now },
    });
  }

  async recordError(portalCode: string, error: string): Promise<void> {
    const now = new Date();
    await this.prisma.pollCursor.upsert({
      where: { portalCode },
      create: { portalCode, lastError: error, updatedAt: now },
      update: { lastError: error, updatedAt: now },
    });
  }
}
