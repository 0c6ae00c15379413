import { Injectable } from '@nestjs/common';
import type { RowJobData } from '../platform/queue/queue-names';
import { PrismaService } from '../platform/database/prisma.service';

/** Tables whose rows become jobs; the predicate says a row still needs its job to run. */
const SOURCES = {
  inbound_events: { pending: 'processed_at IS NULL', order: 'received_at', cid: 'correlation_id' },
  portal_requests: { pending: `state = 'PENDING'`, order: 'created_at', cid: 'correlation_id' },
  notifications: {
    pending: `state = 'PENDING'`,
    order: 'created_at',
    cid: `'notification-' || id::text`,
  },
} as const;
export type RelaySource = keyof typeof SOURCES;

@Injectable()
export class RelayRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Claims rows not yet queued (other relays skip them), marks them queued and lets `publish`
   * queue them before the commit: if publishing throws, they stay unqueued for the next pass.
   */
  claim(
    source: RelaySource,
    limit: number,
    publish: (rows: RowJobData[]) => Promise<void>,
  ): Promise<number> {
    const { pending, order, cid } = SOURCES[source];
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRawUnsafe<RowJobData[]>(
          `SELECT id::text AS id, ${cid} AS "correlationId" FROM ${source}
           WHERE queued_at IS NULL AND ${pending}
           ORDER BY ${order} LIMIT $1 FOR UPDATE SKIP LOCKED`,
          limit,
        );
        if (rows.length === 0) return 0;
        await tx.$executeRawUnsafe(
          `UPDATE ${source} SET queued_at = now() WHERE id = ANY($1::uuid[])`,
          rows.map((r) => r.id),
        );
        await publish(rows);
        return rows.length;
      },
      { timeout: 30_000 },
    );
  }

  /** Rows queued a while ago and still pending: their job may have vanished. */
  stale(source: RelaySource, cutoff: Date, limit: number): Promise<RowJobData[]> {
    const { pending, order, cid } = SOURCES[source];
    return this.prisma.$queryRawUnsafe<RowJobData[]>(
      `SELECT id::text AS id, ${cid} AS "correlationId" FROM ${source}
       WHERE queued_at < $1 AND ${pending} ORDER BY ${order} LIMIT $2`,
      cutoff,
      limit,
    );
  }
}
