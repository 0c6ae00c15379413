import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RelayLoop } from '../platform/queue/relay-loop';
import { SweepCursor } from '../platform/queue/sweep-cursor';
import { DispatchQueues } from './dispatch-queues.service';
import { DispatchRepository } from './dispatch.repository';

const BATCH = 200;
const SWEEP_AGE_MS = 60_000;
const SWEEP_PAGE = 500;
/** Pages per sweep (30 s): a vanished job behind 200,000 live ones is found within 20 min. */
const SWEEP_PAGES = 10;

/**
 * Moves committed outbox rows into the dispatch queues. Runs in every worker process;
 * SKIP LOCKED lets several relays share the table without publishing a row twice.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop = new RelayLoop('dispatches', new Logger(OutboxRelay.name), this);
  private readonly cursor = new SweepCursor();

  constructor(
    private readonly repository: DispatchRepository,
    private readonly queues: DispatchQueues,
  ) {}

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
    const cutoff = new Date(Date.now() - SWEEP_AGE_MS);
    return this.cursor.walk(
      (after, limit) => this.repository.pendingPublishedBefore(cutoff, after, limit),
      async (stale) => {
        const live = await Promise.all(
          stale.map((d) => this.queues.hasLiveJob(d.portalCode, d.id)),
        );
        const missing = stale.filter((_, i) => !live[i]);
        await this.queues.add(
          missing.map((d) => ({
            dispatchId: d.id,
            portalCode: d.portalCode,
            correlationId: `sweep-${d.id}`,
          })),
        );
        return missing.length;
      },
      { pageSize: SWEEP_PAGE, pages: SWEEP_PAGES },
    );
  }
}
