import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { PollScope } from '../../adapters/adapter';
import type { PollJobData } from '../platform/queue/queue-names';
import { STATUS_JOBS, statusJobId } from '../platform/queue/queue-names';
import { PortalRegistry } from '../portals/portal-registry.service';
import { InboundService } from './inbound.service';
import { PollRepository } from './poll.repository';
import { StatusQueues } from './status-queues.service';
import { BackgroundHealth } from '../platform/health/background-health';
import { installScheduler } from '../platform/queue/install-scheduler';
import { RETRY, retryJobOptions } from '../platform/queue/retry-policy';

/**
 * Polls pull-mode portals: one BullMQ job scheduler per portal. The cursor lives in PostgreSQL
 * and moves only after the events it covers are stored, so a failed poll is retried from the
 * same place and never skips an event; polled events take the same path as pushed ones. An
 * adapter that polls by reference (`pollByReference`) is given a page of the portal's open
 * references each poll; the page's cursor moves with the event cursor, so a failed poll asks
 * about the same references again and every open one is reached over successive polls.
 */
@Injectable()
export class StatusPoller implements OnApplicationBootstrap {
  private readonly logger = new Logger(StatusPoller.name);

  constructor(
    private readonly portals: PortalRegistry,
    private readonly queues: StatusQueues,
    private readonly inbound: InboundService,
    private readonly repository: PollRepository,
    private readonly background: BackgroundHealth,
  ) {}

  onApplicationBootstrap(): void {
    for (const { config, adapter } of this.portals.all()) {
      if (!config.poll || !adapter.fetchUpdates) continue;
      void installScheduler(
        this.queues.poll,
        statusJobId.pollScheduler(config.code),
        { every: config.poll.everyMs },
        {
          name: STATUS_JOBS.pollPortal,
          data: { portalCode: config.code },
          opts: {
            ...retryJobOptions(RETRY.statusPoll),
            removeOnComplete: { count: 100 },
            removeOnFail: { age: 24 * 3_600 },
          },
        },
        this.background,
      );
    }
  }

  process(job: Job<PollJobData>): Promise<number> {
    return this.pollOnce(job.data.portalCode, `poll-${job.id}`);
  }

  /** One poll: fetch from the stored cursor, store the events, then advance. Returns events stored. */
  async pollOnce(portalCode: string, correlationId: string): Promise<number> {
    const { config, adapter } = this.portals.get(portalCode);
    if (!adapter.fetchUpdates) return 0;
    const since = await this.repository.cursor(portalCode);
    // Polling by reference: this poll's page of open references; the next poll gets the next.
    const byRef = adapter.pollByReference
      ? await this.repository.openReferences(
          portalCode,
          await this.repository.referenceCursor(portalCode),
          adapter.pollByReference.perPoll,
        )
      : null;
    const scope: PollScope | undefined = byRef
      ? { openRefs: byRef.refs, ours: (refs) => this.repository.ours(portalCode, refs) }
      : undefined;
    let page;
    try {
      page = await adapter.fetchUpdates(
        since,
        { correlationId, timeoutMs: config.delivery.timeoutMs },
        ...(scope ? [scope] : []),
      );
    } catch (error) {
      const message = (error as Error).message;
      await this.repository.recordError(portalCode, message).catch(() => undefined);
      this.logger.warn(
        { portal: portalCode, correlationId, error: message },
        'Poll failed; will retry',
      );
      throw error;
    }
    const candidates = page.events.map((update) => ({ ok: true as const, update }));
    const results = await this.inbound.ingest(portalCode, candidates, 'poll', correlationId);
    for (const r of results.filter((x) => x.result === 'rejected')) {
      // Refused (closure without remarks): never applicable. Unknown references wait (ingest).
      this.logger.warn(
        { portal: portalCode, eventId: r.eventId, code: r.code, correlationId },
        'Polled event skipped',
      );
    }
    await this.repository.advance(portalCode, page.next, byRef ? byRef.next : undefined);
    return results.filter((r) => r.result === 'accepted').length;
  }
}
