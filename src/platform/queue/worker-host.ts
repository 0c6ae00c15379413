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
  /**
   * The worker is passed for handlers that pause their own queue (`worker.rateLimit`), the job's
   * lock token for handlers that move their own job (`job.moveToDelayed` + `DelayedError`).
   */
  process: (job: Job<T>, worker: Worker<T>, token?: string) => Promise<unknown>;
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
  private readonly workers: {
    worker: HostedWorker;
    release: () => void;
    /** The handlers running now: shutdown waits for them whatever Redis does. */
    active: Set<Promise<unknown>>;
  }[] = [];

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly background: BackgroundHealth,
  ) {}

  startWorker<T>(spec: WorkerSpec<T>): Worker<T> {
    const { connection, release } = bullConnection(this.config.env.redis, 'worker');
    const active = new Set<Promise<unknown>>();
    const run = (job: Job<T>, token?: string) => {
      const handler = spec.process(job, worker, token);
      active.add(handler);
      const settled = () => active.delete(handler);
      handler.then(settled, settled);
      return handler;
    };
    const worker = new HostedWorker<T>(spec.queue, run, {
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
    this.workers.push({ worker: worker as HostedWorker, release, active });
    return worker;
  }

  /**
   * Lets every active job finish, then disconnects: before the database and queues close
   * (onApplicationShutdown), so the handlers still have them. The handlers are waited for
   * whatever Redis does (main.ts's SHUTDOWN_TIMEOUT bounds the whole); what is left after them,
   * BullMQ recording their outcomes and closing its connections, is bounded: its close waits
   * forever for a connection that is reconnecting (taskforcesh/bullmq#4656; after a cluster
   * failover, a blocking client left with no node does the same). Past the bound, what is logged
   * says what it cost: an error if some job's outcome was not recorded or a job fetched as the
   * close began still runs (it comes back through the stalled-job check and runs again), else a
   * warning that only BullMQ's connections were left (nothing is lost or run again).
   */
  async beforeApplicationShutdown(): Promise<void> {
    const boundMs = Math.round(this.config.env.shutdownTimeoutMs * REDIS_SHARE_OF_SHUTDOWN);
    await Promise.all(
      this.workers.splice(0).map((w) => this.closeOne(w, boundMs).finally(w.release)),
    );
  }

  private async closeOne(
    { worker, active }: { worker: HostedWorker; active: Set<Promise<unknown>> },
    boundMs: number,
  ): Promise<void> {
    const closed = worker.close().then(() => true as const);
    const handlersDone = (async () => {
      while (active.size) await Promise.allSettled([...active]);
    })();
    await Promise.race([closed, handlersDone]);
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), boundMs);
      timer.unref();
    });
    const done = await Promise.race([closed, bound]);
    clearTimeout(timer);
    if (done) return;
    // A job BullMQ fetched as it began to close starts after the handlers were waited for.
    const running = active.size;
    const unrecorded = worker.inProcess.size - running;
    const context = { queue: worker.name, boundMs, unrecorded, running };
    if (unrecorded || running)
      this.logger.error(
        context,
        'Worker did not close by the shutdown deadline (is Redis reachable?): BullMQ did not record the outcome of `unrecorded` finished jobs, and `running` jobs were still running; they come back through the stalled-job check and run again',
      );
    else
      this.logger.warn(
        context,
        "Worker did not close by the shutdown deadline: every job's outcome was recorded, only BullMQ's connections were left open (taskforcesh/bullmq#4656)",
      );
  }
}

/**
 * A BullMQ worker that knows which jobs it has not finished with: BullMQ's processJob runs the
 * handler and then records the outcome (or finds the job's lock lost to another worker, or moves
 * it back itself: rate limit, delay). A job in `inProcess` whose handler has finished is one
 * whose outcome is not recorded yet.
 */
class HostedWorker<T = unknown> extends Worker<T> {
  readonly inProcess = new Set<Job<T>>();

  override async processJob(
    job: Job<T>,
    token: string,
    fetchNextCallback?: () => boolean,
  ): Promise<void | Job<T>> {
    this.inProcess.add(job);
    try {
      return await super.processJob(job, token, fetchNextCallback);
    } finally {
      this.inProcess.delete(job);
    }
  }
}

/**
 * The part of SHUTDOWN_TIMEOUT BullMQ may take, after the handlers, to close a worker. Its close
 * takes up to about 5 s on a healthy Redis (a blocking fetch's drain delay): the scale suite saw
 * 5.06 s, so 20 % of the default 25 s was too little.
 */
const REDIS_SHARE_OF_SHUTDOWN = 0.6;
