import type { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { RunReporter } from '../health/background-health';
import { RelayLoop } from './relay-loop';
import type { RowRelay } from './row-relay';
import { SWEEP } from './sweep-cursor';

/**
 * A feature's relay in a worker process: its RowRelay run by a RelayLoop from bootstrap to
 * shutdown, and the same passes on demand (tests, operators). The feature's subclass only builds
 * the RowRelay from its repository and queues.
 */
export abstract class RelayHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: RelayLoop;

  protected constructor(
    what: string,
    logger: Logger,
    private readonly relay: RowRelay,
    health: RunReporter,
  ) {
    this.loop = new RelayLoop(what, logger, relay, health);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Lets the current pass finish and starts no other, before the database and queues close. */
  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Queues every unqueued row; returns how many went out. */
  drain(): Promise<number> {
    return this.relay.drain();
  }

  /**
   * Re-queues pending rows queued more than `ageMs` ago that no job will handle (the job
   * vanished, or ended without settling the row): a few pages per table, going on from where the
   * last sweep stopped.
   */
  sweep(ageMs = SWEEP.ageMs, pageSize = SWEEP.pageSize, pages = SWEEP.pages): Promise<number> {
    return this.relay.sweep(ageMs, pageSize, pages);
  }
}
