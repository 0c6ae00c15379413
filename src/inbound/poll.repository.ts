import { Injectable } from '@nestjs/common';
import { CANONICAL_STATUSES } from '../../adapters/adapter';
import { isClosed } from '../lifecycle/lifecycle.rules';
import { PrismaService } from '../platform/database/prisma.service';

/** RESOLVED, REJECTED, CLOSED: a grievance the portal no longer has to be asked about. */
const CLOSED = CANONICAL_STATUSES.filter(isClosed);

/** A page of a portal's open references and where the next page starts (null: the first again). */
export interface OpenReferencePage {
  refs: string[];
  next: string | null;
}

@Injectable()
export class PollRepository {
  constructor(private readonly prisma: PrismaService) {}

  async cursor(portalCode: string): Promise<string | null> {
    const row = await this.prisma.pollCursor.findUnique({ where: { portalCode } });
    return row?.cursor ?? null;
  }

  /** Where the next page of open references starts; null: from the first. */
  async referenceCursor(portalCode: string): Promise<string | null> {
    const row = await this.prisma.pollCursor.findUnique({ where: { portalCode } });
    return row?.refCursor ?? null;
  }

  /**
   * Up to `limit` references of dispatches DELIVERED to the portal whose grievance is not
   * closed, in dispatch id order after `after`. A short page ends the round: `next` is null and
   * the following poll starts from the first again, so every open reference is reached.
   */
  async openReferences(
    portalCode: string,
    after: string | null,
    limit: number,
  ): Promise<OpenReferencePage> {
    const rows = await this.prisma.dispatch.findMany({
      where: {
        portalCode,
        status: 'DELIVERED',
        externalRef: { not: null },
        complaint: { status: { notIn: CLOSED } },
        ...(after && { id: { gt: after } }),
      },
      orderBy: { id: 'asc' },
      take: limit,
      select: { id: true, externalRef: true },
    });
    return {
      refs: rows.map((r) => r.externalRef!),
      next: rows.length < limit ? null : rows.at(-1)!.id,
    };
  }

  /** Which of `refs` are references of the hub's own deliveries to the portal (any state). */
  async ours(portalCode: string, refs: readonly string[]): Promise<ReadonlySet<string>> {
    if (refs.length === 0) return new Set();
    const rows = await this.prisma.dispatch.findMany({
      where: { portalCode, externalRef: { in: [...refs] } },
      select: { externalRef: true },
    });
    return new Set(rows.map((r) => r.externalRef!));
  }

  /**
   * Only after the polled events are stored: a crash before this re-reads them (duplicates, skipped).
   * `refCursor`: given when the poll was by reference, the start of the next page.
   */
  async advance(
    portalCode: string,
    cursor: string | null,
    refCursor?: string | null,
  ): Promise<void> {
    const now = new Date();
    const refs = refCursor === undefined ? {} : { refCursor };
    await this.prisma.pollCursor.upsert({
      where: { portalCode },
      create: { portalCode, cursor, ...refs, lastPolledAt: now, updatedAt: now },
      update: { cursor, ...refs, lastPolledAt: now, lastError: null, updatedAt: now },
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
