import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RelayRepository, type RelaySource } from './relay.repository';
import { StatusQueues } from './status-queues.service';

const BATCH = 200;
const IDLE_MS = 100;
const BACKOFF_MS = 1_000;
const SWEEP_EVERY_MS = 30_000;
const SWEEP_AGE_MS = 60_000;
const SOURCES: RelaySource[] = ['inbound_events', 'notifications', 'portal_requests'];

/**
 * Moves stored inbound events, notifications and portal requests into their queues, like the
 * dispatch outbox relay: the HTTP path only writes PostgreSQL, and a sweep re-queues rows whose
 * job vanished (Redis wiped) or ended without settling the row.
 */
@Injectable()
export class StatusRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StatusRelay.name);
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private lastSweep = Date.now();
  private lastFailure: string | null = null;

  constructor(
    private readonly repository: RelayRepository,
    private readonly queues: StatusQueues,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Queues every unqueued row; returns how many went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (const source of SOURCES) {
      const queue = this.queues.rows[source];
      for (let n = BATCH; n === BATCH; total += n) {
        n = await this.repository.claim(source, BATCH, (rows) => queue.add(rows));
      }
    }
    return total;
  }

  /** Re-queues pending rows queued more than `ageMs` ago whose job no longer exists. */
  async sweep(ageMs = SWEEP_AGE_MS): Promise<number> {
    let requeued = 0;
    for (const source of SOURCES) {
      const queue = this.queues.rows[source];
      const stale = await this.repository.stale(source, new Date(Date.now() - ageMs), 500);
      const missing = [];
      for (const row of stale) if (!(await queue.hasLiveJob(row.id))) missing.push(row);
      await queue.add(missing);
      requeued += missing.length;
    }
    return requeued;
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
          this.logger.warn({ requeued }, 'Re-queued status rows whose jobs vanished');
      }
      if (this.lastFailure) this.logger.log('Status relay recovered');
      this.lastFailure = null;
      return IDLE_MS;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.lastFailure)
        this.logger.warn({ error: message }, 'Status relay cannot queue; will retry');
      this.lastFailure = message;
      return BACKOFF_MS;
    }
  }
}
