import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { InjectConfig } from '../platform/config/config.module';
import { BackgroundHealth } from '../platform/health/background-health';
import type { HubConfig } from '../platform/config/hub-config';
import { rowRetrySettings } from '../platform/queue/backoff';
import { QUEUES, type RowJobData } from '../platform/queue/queue-names';
import { redisConnection } from '../platform/queue/redis-connection';
import { NotificationsProcessor } from './notifications.processor';

@Injectable()
export class NotificationsWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationsWorkers.name);
  private worker: Worker<RowJobData> | null = null;

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly background: BackgroundHealth,
    private readonly processor: NotificationsProcessor,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker<RowJobData>(
      QUEUES.notifications,
      (job) => this.processor.process(job),
      {
        connection: redisConnection(this.config.env.redisUrl, 'worker'),
        prefix: this.config.env.redisPrefix,
        concurrency: 8,
        settings: rowRetrySettings,
      },
    );
    this.background.watch(this.worker);
    this.worker.on('error', (error) =>
      this.logger.warn({ queue: QUEUES.notifications, error: error.message }, 'Worker error'),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
