import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BackgroundHealth } from '../platform/health/background-health';
import { RelayLoop } from '../platform/queue/relay-loop';
import { withoutLiveJob } from '../platform/queue/live-job';
import type { RowRelay } from '../platform/queue/row-relay';
import { DispatchQueues } from './dispatch-queues.service';
import { DispatchRepository } from './dispatch.repository';

/**
 * Moves committed dispatches (the transactional outbox: a dispatch row not yet queued) into the
 * dispatch queues, with the relay every table waiting for a queue shares
 * (platform/queue/row-relay). Runs in every worker process; SKIP LOCKED lets several relays
 * share the table without queuing a dispatch twice.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: RelayLoop;
  private readonly relay: RowRelay;

  constructor(
    repository: DispatchRepository,
    queues: DispatchQueues,
    background: BackgroundHealth,
  ) {
    this.relay = repository.relay({
      add: (rows) =>
        queues.add(
          rows.map((d) => ({
            dispatchId: d.id,
            portalCode: d.portalCode,
            correlationId: d.correlationId,
            rearmed: d.rearmed,
          })),
        ),
      withoutLiveJob: (rows) => withoutLiveJob(rows, (d) => queues.hasLiveJob(d.portalCode, d.id)),
    });
    this.loop = new RelayLoop(
      'dispatches',
      new Logger(OutboxRelay.name),
      this.relay,
      background.reporter('relay', 'dispatch-outbox'),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Queues every unqueued dispatch, routing its grievance; returns how many went out. */
  drain(): Promise<number> {
    return this.relay.drain();
  }

  /**
   * Re-queues pending dispatches that no job will deliver: the job vanished (Redis wiped or
   * restored from an old copy) or ended without settling the row.
   */
  sweep(): Promise<number> {
    return this.relay.sweep();
  }
}
