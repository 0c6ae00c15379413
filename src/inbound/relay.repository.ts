import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';
import { RowRelay, type RelaySource } from '../platform/queue/row-relay';

/**
 * Status sync's tables whose rows become jobs, for the shared relay (platform/queue/row-relay):
 * the predicate says a row still needs its job to run.
 */
const TABLES = {
  inbound_events: { pending: 'processed_at IS NULL', order: 'received_at', cid: 'correlation_id' },
  portal_requests: { pending: `state = 'PENDING'`, order: 'created_at', cid: 'correlation_id' },
  notifications: {
    pending: `state = 'PENDING'`,
    order: 'created_at',
    cid: `'notification-' || id::text`,
  },
} as const;
export type RelayTable = keyof typeof TABLES;

@Injectable()
export class RelayRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The relay of these tables, each claimed `batch` rows at a time onto its queue. */
  relay(
    queues: Record<RelayTable, Pick<RelaySource, 'add' | 'withoutLiveJob'>>,
    batch: Record<RelayTable, number>,
  ): RowRelay {
    return new RowRelay(
      this.prisma,
      (Object.keys(TABLES) as RelayTable[]).map((table): RelaySource => {
        const { pending, order, cid } = TABLES[table];
        const queue = queues[table];
        return {
          table,
          pending,
          order,
          columns: `${cid} AS "correlationId"`,
          batch: batch[table],
          add: (rows) => queue.add(rows),
          withoutLiveJob: (rows) => queue.withoutLiveJob(rows),
        };
      }),
    );
  }
}
