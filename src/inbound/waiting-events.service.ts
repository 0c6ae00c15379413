import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { BackgroundHealth, type RunReporter } from '../platform/health/background-health';
import { HubMetrics } from '../platform/metrics/metrics.service';
import { WaitingEventsRepository } from './waiting-events.repository';

/** How long an event may wait for its reference before it is reported as expired. */
export const WAITING_EXPIRES_AFTER_MS = 24 * 3_600_000;
/** How long an expired event is kept (and still applied if its reference turns up). */
export const WAITING_KEPT_AFTER_EXPIRY_MS = 30 * 24 * 3_600_000;
const EVERY_MS = 10_000;

/**
 * Status events that arrived before the hub recorded their grievance's reference wait in
 * waiting_status_events; the delivery that records the reference applies them. This sweep
 * (worker role) catches the ones that missed that moment, and reports those that waited too long.
 */
@Injectable()
export class WaitingEventsSweep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WaitingEventsSweep.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<unknown> = Promise.resolve();
  private readonly health: RunReporter;

  constructor(
    private readonly repository: WaitingEventsRepository,
    private readonly metrics: HubMetrics,
    background: BackgroundHealth,
  ) {
    this.health = background.reporter('sweep', 'waiting-status-events');
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  /** Lets a running sweep finish and starts no other, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  // The next run is timed from the end of this one: a slow run never overlaps the next.
  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .then(
          () => this.health.succeeded(),
          (error: Error) => this.health.failed(error.message, { willRetry: true }),
        )
        .then(() => this.schedule());
    }, EVERY_MS);
    this.timer.unref();
  }

  /** Releases what can apply now, expires what waited too long; returns the counts. */
  async sweep(now = new Date()): Promise<{ released: number; expired: number }> {
    let released = 0;
    for (const { portalCode, count } of await this.repository.release()) {
      this.metrics.waitingStatusEvents.inc({ portal: portalCode, outcome: 'released' }, count);
      released += count;
    }
    const expired = await this.repository.expire(
      now,
      new Date(now.getTime() - WAITING_EXPIRES_AFTER_MS),
    );
    for (const e of expired) {
      this.metrics.waitingStatusEvents.inc({ portal: e.portalCode, outcome: 'expired' });
      // References and event ids are the portal's numbers, not personal data.
      this.logger.warn(e, 'Status event expired: no delivery recorded its reference');
    }
    await this.repository.purge(new Date(now.getTime() - WAITING_KEPT_AFTER_EXPIRY_MS));
    return { released, expired: expired.length };
  }
}
