import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RelayLoop } from '../platform/queue/relay-loop';
import { DispatchQueues } from './dispatch-queues.service';
import { DispatchRepository } from './dispatch.repository';

const BATCH = 200;
const SWEEP_AGE_MS = 60_000;

/**
 * Moves committed outbox rows into the dispatch queues. Runs in every worker process;
 * SKIP LOCKED lets several relays share the table without publishing a row twice.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop = new RelayLoop('dispatches', new Logger(OutboxRelay.name), this);

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
    const stale = await this.repository.pendingPublishedBefore(
      new Date(Date.now() - SWEEP_AGE_MS),
      500,
    );
    const missing = [];
    for (const d of stale) {
      if (!(await this.queues.hasLiveJob(d.portalCode, d.id))) missing.push(d);
    }
    await this.queues.add(
      missing.map((d) => ({
        dispatchId: d.id,
        portalCode: d.portalCode,
        correlationId: `sweep-${d.id}`,
      })),
    );
    return missing.length;
  }
}
