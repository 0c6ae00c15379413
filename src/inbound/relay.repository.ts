import { Injectable } from '@nestjs/common';
import type { RowJobData } from '../platform/queue/queue-names';
import { NIL_UUID, type KeysetPosition } from '../platform/database/keyset';
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

  /**
   * The sources that have rows still to queue: one cheap statement on the partial "unqueued"
   * indexes, so an idle relay does not open a transaction per source every tick.
   */
  async withUnqueued(): Promise<RelaySource[]> {
    const names = Object.keys(SOURCES) as RelaySource[];
    const checks = names.map(
      (source) =>
        `EXISTS (SELECT 1 FROM ${source} WHERE queued_at IS NULL AND ${SOURCES[source].pending}) AS ${source}`,
    );
    const { rows } = await this.prisma.sql<Record<RelaySource, boolean>>(
      `SELECT ${checks.join(', ')}`,
      [],
    );
    return names.filter((source) => rows[0][source]);
  }

  /** A page of rows queued before `cutoff` and still pending, after `after`: their job may have vanished. */
  stale(
    source: RelaySource,
    cutoff: Date,
    after: KeysetPosition | null,
    limit: number,
  ): Promise<(RowJobData & KeysetPosition)[]> {
    const { pending, order, cid } = SOURCES[source];
    return this.prisma.$queryRawUnsafe<(RowJobData & KeysetPosition)[]>(
      `SELECT id::text AS id, ${cid} AS "correlationId", ${order} AS at FROM ${source}
       WHERE queued_at < $1 AND ${pending} AND (${order}, id) > ($2, $3::uuid)
       ORDER BY ${order}, ${source}.id LIMIT $4`,
      cutoff,
      after?.at ?? new Date(0),
      after?.id ?? NIL_UUID,
      limit,
    );
  }
}
