import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { DispatchJobData, dispatchQueueName } from '../platform/queue/queue-names';
import { deliveryRetry } from '../platform/queue/retry-policy';
import { WorkerHost } from '../platform/queue/worker-host';
import { DispatchProcessor } from './dispatch.processor';

/**
 * One BullMQ worker per portal queue, each with the portal's own concurrency and rate limit.
 * Created from config rather than @Processor classes because the set of portals is data.
 */
@Injectable()
export class DispatchWorkers implements OnApplicationBootstrap {
  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly host: WorkerHost,
    private readonly processor: DispatchProcessor,
  ) {}

  onApplicationBootstrap(): void {
    for (const portal of this.config.portals) {
      const { delivery } = portal;
      this.host.startWorker<DispatchJobData>({
        queue: dispatchQueueName(portal.code),
        process: (job, worker, token) => this.processor.process(job, worker, token),
        concurrency: delivery.concurrency,
        limiter: { max: delivery.ratePerSecond, duration: 1_000 },
        retry: deliveryRetry(delivery),
        log: { portal: portal.code },
      });
    }
  }
}
