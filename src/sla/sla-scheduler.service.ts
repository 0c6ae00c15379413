import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Queue, type Job } from 'bullmq';
import { InjectConfig } from '../platform/config/config.module';
import { BackgroundHealth } from '../platform/health/background-health';
import type { HubConfig } from '../platform/config/hub-config';
import { HubMetrics } from '../platform/metrics/metrics.service';
import { openQueue } from '../platform/queue/open-queue';
import { SLA_JOBS, SLA_QUEUE } from '../platform/queue/queue-names';
import { WorkerHost } from '../platform/queue/worker-host';
import { PrivacyService } from '../privacy/privacy.service';
import { PartitionMaintenance } from '../privacy/partition-maintenance.service';
import { PARTITIONS_EVERY_MS, RETENTION_EVERY_MS } from '../privacy/retention';
import { ROLLUP_REFRESH_MS } from './rollup-freshness';
import { SlaEscalationService } from './sla-escalation.service';
import { SlaRollupService } from './sla-rollup.service';
import { installScheduler } from '../platform/queue/install-scheduler';

/** Every job on the SLA queue, its period and its one handler. */
const SCHEDULES: { name: string; everyMs: number }[] = [
  { name: SLA_JOBS.scan, everyMs: 60_000 },
  { name: SLA_JOBS.refreshRollup, everyMs: ROLLUP_REFRESH_MS },
  // Privacy's job on the SLA queue: the queue and its job names are persisted in Redis.
  { name: SLA_JOBS.retention, everyMs: RETENTION_EVERY_MS },
  { name: SLA_JOBS.partitions, everyMs: PARTITIONS_EVERY_MS },
];

/**
 * BullMQ job schedulers (one per job, upserted at start by every worker process: idempotent),
 * so exactly one run of each job happens per period however many workers there are.
 */
@Injectable()
export class SlaScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SlaScheduler.name);
  private queue: Queue | null = null;

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly escalation: SlaEscalationService,
    private readonly rollup: SlaRollupService,
    private readonly privacy: PrivacyService,
    private readonly partitions: PartitionMaintenance,
    private readonly metrics: HubMetrics,
    private readonly background: BackgroundHealth,
    private readonly host: WorkerHost,
  ) {}

  onApplicationBootstrap(): void {
    const queue = openQueue(this.config.env, SLA_QUEUE, { role: 'worker' });
    this.queue = queue;
    this.metrics.watchQueue(queue);
    this.host.startWorker({ queue: SLA_QUEUE, process: (job) => this.handle(job), concurrency: 1 });
    for (const { name, everyMs } of SCHEDULES)
      void installScheduler(
        queue,
        name,
        { every: everyMs },
        { name, opts: { removeOnComplete: 100, removeOnFail: 500 } },
        this.background,
      );
  }

  async handle(job: Job): Promise<unknown> {
    const log = { jobId: job.id, job: job.name };
    switch (job.name) {
      case SLA_JOBS.scan: {
        const result = await this.escalation.scan();
        if (result.acted > 0) this.logger.log({ ...log, ...result }, 'SLA scan acted');
        return result;
      }
      case SLA_JOBS.refreshRollup:
        return this.rollup.refresh();
      case SLA_JOBS.retention:
        return { erased: await this.privacy.eraseExpired() };
      case SLA_JOBS.partitions:
        return this.partitions.run();
      default:
        throw new Error(`No handler for SLA job ${job.name}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close();
  }
}
