import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import { InjectConfig } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { BackgroundHealth } from '../health/background-health';
import { bullConnection, queuePrefix } from './redis-connection';
import { retryWorkerSettings, type RetryPolicy } from './retry-policy';

/** One queue's worker: its one handler, how many jobs at once, and how its jobs retry. */
export interface WorkerSpec<T> {
  queue: string;
  /** The worker is passed for handlers that pause their own queue (`worker.rateLimit`). */
  process: (job: Job<T>, worker: Worker<T>) => Promise<unknown>;
  concurrency: number;
  /** At most `max` jobs per `duration` ms across every worker of the queue. */
  limiter?: { max: number; duration: number };
  /** The policy the queue's producer adds jobs with (retry-policy.ts); none: BullMQ's defaults. */
  retry?: RetryPolicy;
  /** Added to the log line of a worker error (e.g. the portal). */
  log?: Record<string, unknown>;
}

/**
 * The one way the hub hosts a BullMQ worker: on the hub's Redis under its prefix with a
 * connection that waits for Redis (redis-connection), every run reported to BackgroundHealth, a
 * connection error logged rather than crashing the process, and closed when the app shuts down.
 * Each feature module that runs workers provides its own host, which closes the workers it started.
 */
@Injectable()
export class WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Workers');
  private readonly workers: { worker: Worker; release: () => void }[] = [];

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly background: BackgroundHealth,
  ) {}

  startWorker<T>(spec: WorkerSpec<T>): Worker<T> {
    const { connection, release } = bullConnection(this.config.env.redis, 'worker');
    const worker: Worker<T> = new Worker<T>(spec.queue, (job) => spec.process(job, worker), {
      connection,
      prefix: queuePrefix(this.config.env, spec.queue),
      concurrency: spec.concurrency,
      limiter: spec.limiter,
      settings: retryWorkerSettings(spec.retry),
    });
    worker.on('error', (error) =>
      this.logger.warn({ queue: spec.queue, ...spec.log, error: error.message }, 'Worker error'),
    );
    this.background.watch(worker as Worker);
    this.workers.push({ worker: worker as Worker, release });
    return worker;
  }

  /**
   * Lets every active job finish, then disconnects: before the database and queues close
   * (onApplicationShutdown), so the handlers still have them. Bounded: BullMQ's close waits
   * forever on a connection that is reconnecting (Redis down, a cluster node gone:
   * taskforcesh/bullmq#4656), and a process that never exits is worse than one that leaves its
   * active jobs to the stalled-job check, which hands them to another worker (every handler is
   * idempotent). The bound is most of SHUTDOWN_TIMEOUT, leaving the rest for the other steps.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const deadlineMs = Math.round(this.config.env.shutdownTimeoutMs * WORKER_SHARE_OF_SHUTDOWN);
    await Promise.all(
      this.workers
        .splice(0)
        .map(({ worker, release }) => this.closeBy(worker, deadlineMs).finally(release)),
    );
  }

  private async closeBy(worker: Worker, deadlineMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs);
      timer.unref();
    });
    const closed = await Promise.race([worker.close().then(() => true as const), deadline]);
    clearTimeout(timer);
    if (!closed)
      this.logger.error(
        { queue: worker.name, deadlineMs },
        'Worker did not close by the shutdown deadline (is Redis reachable?): its active jobs go back to the queue through the stalled-job check',
      );
  }
}

/** The part of SHUTDOWN_TIMEOUT the workers may take to finish their active jobs and close. */
const WORKER_SHARE_OF_SHUTDOWN = 0.6;
