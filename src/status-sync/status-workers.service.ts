import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import { InjectConfig } from '../platform/config/config.module';
import { BackgroundHealth } from '../platform/health/background-health';
import type { HubConfig } from '../platform/config/hub-config';
import { rowRetrySettings } from '../platform/queue/backoff';
import { QUEUES } from '../platform/queue/queue-names';
import { redisConnection } from '../platform/queue/redis-connection';
import { AutoCloseService } from './auto-close.service';
import { PortalRequestsProcessor } from './portal-requests.processor';
import { StatusPoller } from './status-poller.service';
import { StatusProcessor } from './status.processor';

/** One worker per status-sync queue; each queue has exactly one handler. */
@Injectable()
export class StatusWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StatusWorkers.name);
  private readonly workers: Worker[] = [];

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly background: BackgroundHealth,
    private readonly status: StatusProcessor,
    private readonly poller: StatusPoller,
    private readonly requests: PortalRequestsProcessor,
    private readonly autoClose: AutoCloseService,
  ) {}

  onApplicationBootstrap(): void {
    /* eslint-disable @typescript-eslint/no-explicit-any -- each handler types its own job data */
    const handlers: [string, (job: Job<any>) => Promise<unknown>, number][] = [
      // Each job applies a batch of events in one transaction: few, larger jobs.
      [QUEUES.statusSync, (job) => this.status.process(job), 4],
      [QUEUES.statusPoll, (job) => this.poller.process(job), 2],
      [QUEUES.portalRequests, (job) => this.requests.process(job), 4],
      [QUEUES.lifecycle, () => this.autoClose.run(), 1],
    ];
    /* eslint-enable @typescript-eslint/no-explicit-any */
    for (const [queue, handler, concurrency] of handlers) {
      const worker = new Worker(queue, handler, {
        connection: redisConnection(this.config.env.redisUrl, 'worker'),
        prefix: this.config.env.redisPrefix,
        concurrency,
        // Only portal requests use the capped schedule; the other queues name BullMQ's own.
        settings: rowRetrySettings,
      });
      worker.on('error', (error) =>
        this.logger.warn({ queue, error: error.message }, 'Worker error'),
      );
      this.background.watch(worker);
      this.workers.push(worker);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
