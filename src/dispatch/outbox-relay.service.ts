import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { DispatchQueues } from './dispatch-queues.service';
import { DispatchRepository } from './dispatch.repository';

const BATCH = 200;
const IDLE_MS = 100;
const BACKOFF_MS = 1_000;
const SWEEP_EVERY_MS = 30_000;
const SWEEP_AGE_MS = 60_000;

/**
 * Moves committed outbox rows into the dispatch queues. Runs in every worker process;
 * SKIP LOCKED lets several relays share the table without publishing a row twice.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private lastSweep = Date.now();
  private lastFailure: string | null = null;

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly repository: DispatchRepository,
    private readonly queues: DispatchQueues,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
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

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then((next) => this.schedule(next));
    }, delayMs);
  }

  private async tick(): Promise<number> {
    try {
      await this.drain();
      if (Date.now() - this.lastSweep > SWEEP_EVERY_MS) {
        this.lastSweep = Date.now();
        const requeued = await this.sweep();
        if (requeued > 0)
          this.logger.warn({ requeued }, 'Re-queued dispatches whose jobs had vanished');
      }
      if (this.lastFailure) this.logger.log('Outbox relay recovered');
      this.lastFailure = null;
      return IDLE_MS;
    } catch (error) {
      const message = (error as Error).message;
      // Redis or PostgreSQL is away: rows stay unpublished; say so once, not every tick.
      if (message !== this.lastFailure)
        this.logger.warn({ error: message }, 'Outbox relay cannot publish; will retry');
      this.lastFailure = message;
      return BACKOFF_MS;
    }
  }
}
