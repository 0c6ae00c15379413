import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import { InjectConfig } from '../platform/config/config.module';
import { BackgroundHealth } from '../platform/health/background-health';
import type { HubConfig } from '../platform/config/hub-config';
import { HubMetrics } from '../platform/metrics/metrics.service';
import { openQueue } from '../platform/queue/open-queue';
import { SLA_JOBS, SLA_QUEUE } from '../platform/queue/queue-names';
import { redisConnection } from '../platform/queue/redis-connection';
import { PrivacyService } from '../privacy/privacy.service';
import { ROLLUP_REFRESH_MS } from './rollup-freshness';
import { SlaEscalationService } from './sla-escalation.service';
import { SlaRollupService } from './sla-rollup.service';
import { installScheduler } from '../platform/queue/install-scheduler';

/** Every job on the SLA queue, its period and its one handler. */
const SCHEDULES: { name: string; everyMs: number }[] = [
  { name: SLA_JOBS.scan, everyMs: 60_000 },
  { name: SLA_JOBS.refreshRollup, everyMs: ROLLUP_REFRESH_MS },
  { name: SLA_JOBS.retention, everyMs: 6 * 3_600_000 },
];

/**
 * BullMQ job schedulers (one per job, upserted at start by every worker process: idempotent),
 * so exactly one run of each job happens per period however many workers there are.
 */
@Injectable()
export class SlaScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SlaScheduler.name);
  private queue: Queue | null = null;
  private worker: Worker | null = null;

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly escalation: SlaEscalationService,
    private readonly rollup: SlaRollupService,
    private readonly privacy: PrivacyService,
    private readonly metrics: HubMetrics,
    private readonly background: BackgroundHealth,
  ) {}

  onApplicationBootstrap(): void {
    const { redisUrl, redisPrefix } = this.config.env;
    const queue = openQueue(this.config.env, SLA_QUEUE, { role: 'worker' });
    this.queue = queue;
    this.metrics.watchQueue(queue);
    this.worker = new Worker(SLA_QUEUE, (job) => this.handle(job), {
      connection: redisConnection(redisUrl, 'worker'),
      prefix: redisPrefix,
      concurrency: 1,
    });
    this.background.watch(this.worker);
    this.worker.on('error', (error) =>
      this.logger.warn({ error: error.message }, 'SLA worker error'),
    );
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
      default:
        throw new Error(`No handler for SLA job ${job.name}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }
}
