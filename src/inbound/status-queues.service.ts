import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { QUEUES, STATUS_JOBS, statusJobId, type PollJobData } from '../platform/queue/queue-names';
import { HubMetrics } from '../platform/metrics/metrics.service';
import { RETRY, retryJobOptions } from '../platform/queue/retry-policy';
import { openQueue } from '../platform/queue/open-queue';
import { RowQueue } from './row-queue';
import type { RelayTable } from './relay.repository';

/** Inbound events per status-sync job. */
export const INBOUND_BATCH = 250;

/** Producer side of the status-sync, notification, portal-request, poll and lifecycle queues. */
@Injectable()
export class StatusQueues implements OnApplicationShutdown {
  readonly rows: Record<RelayTable, RowQueue>;
  readonly poll: Queue<PollJobData>;
  readonly lifecycle: Queue;

  constructor(@InjectConfig() config: HubConfig, metrics: HubMetrics) {
    this.rows = {
      inbound_events: new RowQueue(
        config,
        QUEUES.statusSync,
        STATUS_JOBS.applyEvent,
        statusJobId.inbound,
        retryJobOptions(RETRY.statusSync),
        // One job applies a batch of events (src/inbound/status.processor.ts).
        INBOUND_BATCH,
      ),
      portal_requests: new RowQueue(
        config,
        QUEUES.portalRequests,
        STATUS_JOBS.forwardRequest,
        statusJobId.portalRequest,
        retryJobOptions(RETRY.portalRequests),
      ),
      notifications: new RowQueue(
        config,
        QUEUES.notifications,
        STATUS_JOBS.notify,
        statusJobId.notification,
        retryJobOptions(RETRY.notifications),
      ),
    };
    this.poll = openQueue<PollJobData>(config.env, QUEUES.statusPoll);
    this.lifecycle = openQueue(config.env, QUEUES.lifecycle);
    for (const q of [...Object.values(this.rows).map((r) => r.queue), this.poll, this.lifecycle])
      metrics.watchQueue(q);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([
      ...Object.values(this.rows).map((q) => q.close()),
      this.poll.close(),
      this.lifecycle.close(),
    ]);
  }
}
