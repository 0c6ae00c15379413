import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BackgroundHealth } from '../platform/health/background-health';
import { RelayLoop } from '../platform/queue/relay-loop';
import { SWEEP, SweepCursor } from '../platform/queue/sweep-cursor';
import { RelayRepository, type RelaySource } from './relay.repository';
import { INBOUND_BATCH, StatusQueues } from './status-queues.service';

/** Rows claimed per transaction; inbound events go out as jobs of INBOUND_BATCH. */
const BATCH: Record<RelaySource, number> = {
  inbound_events: 2 * INBOUND_BATCH,
  notifications: 200,
  portal_requests: 200,
};
const SOURCES: RelaySource[] = ['inbound_events', 'notifications', 'portal_requests'];

/**
 * Moves stored inbound events, notifications and portal requests into their queues, like the
 * dispatch outbox relay: the HTTP path only writes PostgreSQL, and a sweep re-queues rows whose
 * job vanished (Redis wiped) or ended without settling the row.
 */
@Injectable()
export class StatusRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: RelayLoop;

  private readonly cursors = Object.fromEntries(
    SOURCES.map((source) => [source, new SweepCursor()]),
  ) as Record<RelaySource, SweepCursor>;

  constructor(
    private readonly repository: RelayRepository,
    private readonly queues: StatusQueues,
    background: BackgroundHealth,
  ) {
    this.loop = new RelayLoop(
      'status events, notifications and portal requests',
      new Logger(StatusRelay.name),
      this,
      background.reporter('relay', 'status-outbox'),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Queues every unqueued row; returns how many went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (const source of await this.repository.withUnqueued()) {
      const queue = this.queues.rows[source];
      const batch = BATCH[source];
      for (let n = batch; n === batch; total += n) {
        n = await this.repository.claim(source, batch, (rows) => queue.add(rows));
      }
    }
    return total;
  }

  /**
   * Re-queues pending rows queued more than `ageMs` ago whose job no longer exists: a few pages
   * per source, going on from where the last sweep stopped.
   */
  async sweep(
    ageMs = SWEEP.ageMs,
    pageSize = SWEEP.pageSize,
    pages = SWEEP.pages,
  ): Promise<number> {
    let requeued = 0;
    for (const source of SOURCES) {
      const queue = this.queues.rows[source];
      const cutoff = new Date(Date.now() - ageMs);
      requeued += await this.cursors[source].walk(
        (after, limit) => this.repository.stale(source, cutoff, after, limit),
        async (stale) => {
          const missing = await queue.withoutLiveJob(
            stale.map(({ id, correlationId }) => ({ id, correlationId })),
          );
          await queue.add(missing);
          return missing.length;
        },
        { pageSize, pages },
      );
    }
    return requeued;
  }
}
