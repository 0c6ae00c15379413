import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import {
  DispatchJobData,
  JOBS,
  dispatchJobId,
  dispatchQueueName,
} from '../platform/queue/queue-names';
import { hasLiveJob } from '../platform/queue/live-job';
import { openQueue } from '../platform/queue/open-queue';
import { deliveryRetry, retryJobOptions } from '../platform/queue/retry-policy';

/** Producer side of the per-portal dispatch queues (the relay, the sweep, staff retries). */
@Injectable()
export class DispatchQueues implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue<DispatchJobData>>();

  constructor(@InjectConfig() private readonly config: HubConfig) {}

  queue(portalCode: string): Queue<DispatchJobData> {
    let queue = this.queues.get(portalCode);
    if (!queue) {
      const portal = this.config.portals.find((p) => p.code === portalCode);
      if (!portal) throw new Error(`No portal ${portalCode} for a dispatch queue`);
      queue = openQueue<DispatchJobData>(this.config.env, dispatchQueueName(portalCode), {
        defaultJobOptions: {
          ...retryJobOptions(deliveryRetry(portal.delivery)),
          removeOnComplete: { age: 3_600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3_600 },
        },
      });
      this.queues.set(portalCode, queue);
    }
    return queue;
  }

  /** Deterministic job ids make a re-publish of the same dispatch a no-op. */
  async add(
    entries: { dispatchId: string; portalCode: string; correlationId: string }[],
  ): Promise<void> {
    const byPortal = new Map<string, typeof entries>();
    for (const e of entries) byPortal.set(e.portalCode, [...(byPortal.get(e.portalCode) ?? []), e]);
    await Promise.all(
      [...byPortal].map(([portalCode, group]) =>
        this.queue(portalCode).addBulk(
          group.map((e) => ({
            name: JOBS.submitDispatch,
            data: { dispatchId: e.dispatchId, correlationId: e.correlationId },
            opts: { jobId: dispatchJobId(e.dispatchId) },
          })),
        ),
      ),
    );
  }

  /**
   * True when a job will still run for this dispatch. A job that already finished (completed or
   * failed) while the dispatch stayed PENDING — the database was away when it tried to settle — is
   * removed so that the same deterministic id can be queued again.
   */
  hasLiveJob(portalCode: string, dispatchId: string): Promise<boolean> {
    return hasLiveJob(this.queue(portalCode), dispatchJobId(dispatchId));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
