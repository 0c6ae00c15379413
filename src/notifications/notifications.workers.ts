import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { QUEUES, type RowJobData } from '../platform/queue/queue-names';
import { RETRY } from '../platform/queue/retry-policy';
import { WorkerHost } from '../platform/queue/worker-host';
import { NotificationsProcessor } from './notifications.processor';

@Injectable()
export class NotificationsWorkers implements OnApplicationBootstrap {
  constructor(
    private readonly host: WorkerHost,
    private readonly processor: NotificationsProcessor,
  ) {}

  onApplicationBootstrap(): void {
    this.host.startWorker<RowJobData>({
      queue: QUEUES.notifications,
      process: (job) => this.processor.process(job),
      concurrency: 8,
      retry: RETRY.notifications,
    });
  }
}
