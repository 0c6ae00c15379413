import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QUEUES } from '../platform/queue/queue-names';
import { RETRY, type RetryPolicy } from '../platform/queue/retry-policy';
import { WorkerHost } from '../platform/queue/worker-host';
import { AutoCloseService } from './auto-close.service';
import { PortalRequestsProcessor } from '../portal-requests/portal-requests.processor';
import { StatusPoller } from './status-poller.service';
import { StatusProcessor } from './status.processor';

/** One worker per status-sync queue; each queue has exactly one handler. */
@Injectable()
export class StatusWorkers implements OnApplicationBootstrap {
  constructor(
    private readonly host: WorkerHost,
    private readonly status: StatusProcessor,
    private readonly poller: StatusPoller,
    private readonly requests: PortalRequestsProcessor,
    private readonly autoClose: AutoCloseService,
  ) {}

  onApplicationBootstrap(): void {
    /* eslint-disable @typescript-eslint/no-explicit-any -- each handler types its own job data */
    const handlers: [string, (job: Job<any>) => Promise<unknown>, number, RetryPolicy?][] = [
      // Each job applies a batch of events in one transaction: few, larger jobs.
      [QUEUES.statusSync, (job) => this.status.process(job), 4, RETRY.statusSync],
      [QUEUES.statusPoll, (job) => this.poller.process(job), 2, RETRY.statusPoll],
      [QUEUES.portalRequests, (job) => this.requests.process(job), 4, RETRY.portalRequests],
      [QUEUES.lifecycle, () => this.autoClose.run(), 1],
    ];
    /* eslint-enable @typescript-eslint/no-explicit-any */
    for (const [queue, process, concurrency, retry] of handlers)
      this.host.startWorker({ queue, process, concurrency, retry });
  }
}
