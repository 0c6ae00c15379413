import type { Logger } from '@nestjs/common';
import type { RunReporter } from '../health/background-health';

export interface RelayWork {
  /** Queues every committed, unqueued row; returns how many went out. */
  drain(): Promise<number>;
  /** Re-queues rows no job will settle; returns how many. */
  sweep(): Promise<number>;
}

const IDLE_MS = 100;
const BACKOFF_MS = 1_000;
const SWEEP_EVERY_MS = 30_000;

/**
 * The loop every PostgreSQL → BullMQ relay runs: drain, sweep now and then, and back off while
 * Redis or PostgreSQL is away. Each tick's outcome goes to `health` (BackgroundHealth), which
 * logs a failure at error once per reason and keeps /health/ready degraded until a tick succeeds.
 */
export class RelayLoop {
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private lastSweep = Date.now();

  constructor(
    private readonly what: string,
    private readonly logger: Logger,
    private readonly work: RelayWork,
    private readonly health: RunReporter,
  ) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then((next) => this.schedule(next));
    }, delayMs);
  }

  private async tick(): Promise<number> {
    try {
      await this.work.drain();
      if (Date.now() - this.lastSweep > SWEEP_EVERY_MS) {
        this.lastSweep = Date.now();
        const requeued = await this.work.sweep();
        if (requeued > 0)
          this.logger.warn({ requeued }, `Re-queued ${this.what} no job would settle`);
      }
      this.health.succeeded();
      return IDLE_MS;
    } catch (error) {
      this.health.failed((error as Error).message, { relay: this.what, willRetry: true });
      return BACKOFF_MS;
    }
  }
}
