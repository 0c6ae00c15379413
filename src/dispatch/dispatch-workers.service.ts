import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { InjectConfig } from '../platform/config/config.module';
import { BackgroundHealth } from '../platform/health/background-health';
import type { HubConfig } from '../platform/config/hub-config';
import { DispatchJobData, dispatchQueueName } from '../platform/queue/queue-names';
import { redisConnection } from '../platform/queue/redis-connection';
import { retryDelayMs } from '../platform/queue/backoff';
import { DispatchProcessor } from './dispatch.processor';

/**
 * One BullMQ worker per portal queue, each with the portal's own concurrency and rate limit.
 * Created from config rather than @Processor classes because the set of portals is data.
 */
@Injectable()
export class DispatchWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatchWorkers.name);
  private readonly workers: Worker<DispatchJobData>[] = [];

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly background: BackgroundHealth,
    private readonly processor: DispatchProcessor,
  ) {}

  onApplicationBootstrap(): void {
    for (const portal of this.config.portals) {
      const { delivery } = portal;
      const worker: Worker<DispatchJobData> = new Worker<DispatchJobData>(
        dispatchQueueName(portal.code),
        (job) => this.processor.process(job, worker),
        {
          connection: redisConnection(this.config.env.redisUrl, 'worker'),
          prefix: this.config.env.redisPrefix,
          concurrency: delivery.concurrency,
          limiter: { max: delivery.ratePerSecond, duration: 1_000 },
          settings: {
            backoffStrategy: (attemptsMade, _type, error) =>
              retryDelayMs(attemptsMade, delivery.backoffMs, error),
          },
        },
      );
      worker.on('error', (error) =>
        this.logger.warn({ portal: portal.code, error: error.message }, 'Worker error'),
      );
      this.background.watch(worker);
      this.workers.push(worker);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
