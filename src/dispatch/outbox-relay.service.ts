import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BackgroundHealth } from '../platform/health/background-health';
import { RelayLoop } from '../platform/queue/relay-loop';
import { withoutLiveJob } from '../platform/queue/live-job';
import { SWEEP, SweepCursor } from '../platform/queue/sweep-cursor';
import { DispatchQueues } from './dispatch-queues.service';
import { DispatchRepository } from './dispatch.repository';

const BATCH = 200;

/**
 * Moves committed outbox rows into the dispatch queues. Runs in every worker process;
 * SKIP LOCKED lets several relays share the table without publishing a row twice.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: RelayLoop;
  private readonly cursor = new SweepCursor();

  constructor(
    private readonly repository: DispatchRepository,
    private readonly queues: DispatchQueues,
    background: BackgroundHealth,
  ) {
    const logger = new Logger(OutboxRelay.name);
    this.loop = new RelayLoop(
      'dispatches',
      logger,
      this,
      background.reporter('relay', 'dispatch-outbox'),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Publishes until the outbox is empty; returns how many rows went out. */
  async drain(): Promise<number> {
    if (!(await this.repository.hasUnpublished())) return 0;
    let total = 0;
    for (let n = BATCH; n === BATCH; total += n) {
      n = await this.repository.relayBatch(BATCH, (rows) => this.queues.add(rows));
    }
    return total;
  }

  /**
   * Re-queues pending dispatches that no job will deliver: the job vanished (Redis wiped or
   * restored from an old copy) or ended without settling the row.
   */
  async sweep(): Promise<number> {
    const cutoff = new Date(Date.now() - SWEEP.ageMs);
    return this.cursor.walk(
      (after, limit) => this.repository.pendingPublishedBefore(cutoff, after, limit),
      async (stale) => {
        const missing = await withoutLiveJob(stale, (d) =>
          this.queues.hasLiveJob(d.portalCode, d.id),
        );
        await this.queues.add(
          missing.map((d) => ({
            dispatchId: d.id,
            portalCode: d.portalCode,
            correlationId: `sweep-${d.id}`,
          })),
        );
        return missing.length;
      },
      SWEEP,
    );
  }
}
