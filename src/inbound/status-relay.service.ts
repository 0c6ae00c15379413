import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BackgroundHealth } from '../platform/health/background-health';
import { RelayLoop } from '../platform/queue/relay-loop';
import type { RowRelay } from '../platform/queue/row-relay';
import { SWEEP } from '../platform/queue/sweep-cursor';
import { RelayRepository } from './relay.repository';
import { INBOUND_BATCH, StatusQueues } from './status-queues.service';

/**
 * Moves stored inbound events, notifications and portal requests into their queues, with the
 * relay every table waiting for a queue shares (platform/queue/row-relay): the HTTP path only
 * writes PostgreSQL, and a sweep re-queues rows whose job vanished (Redis wiped) or ended
 * without settling the row.
 */
@Injectable()
export class StatusRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: RelayLoop;
  private readonly relay: RowRelay;

  constructor(repository: RelayRepository, queues: StatusQueues, background: BackgroundHealth) {
    // Rows claimed per transaction; inbound events go out as jobs of INBOUND_BATCH.
    this.relay = repository.relay(queues.rows, {
      inbound_events: 2 * INBOUND_BATCH,
      notifications: 200,
      portal_requests: 200,
    });
    this.loop = new RelayLoop(
      'status events, notifications and portal requests',
      new Logger(StatusRelay.name),
      this.relay,
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
  drain(): Promise<number> {
    return this.relay.drain();
  }

  /**
   * Re-queues pending rows queued more than `ageMs` ago whose job no longer exists: a few pages
   * per table, going on from where the last sweep stopped.
   */
  sweep(ageMs = SWEEP.ageMs, pageSize = SWEEP.pageSize, pages = SWEEP.pages): Promise<number> {
    return this.relay.sweep(ageMs, pageSize, pages);
  }
}
