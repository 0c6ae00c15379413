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
  private readonly workers: {
    worker: Worker;
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
    const run = (job: Job<T>) => {
      const handler = spec.process(job, worker);
      active.add(handler);
      handler.then(
        () => active.delete(handler),
        () => active.delete(handler),
      );
      return handler;
    };
    const worker: Worker<T> = new Worker<T>(spec.queue, run, {
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
    this.workers.push({ worker: worker as Worker, release, active });
    return worker;
  }

  /**
   * Lets every active job finish, then disconnects: before the database and queues close
   * (onApplicationShutdown), so the handlers still have them. The handlers are waited for
   * whatever Redis does (main.ts's SHUTDOWN_TIMEOUT bounds the whole); what is left after them,
   * BullMQ recording their outcomes and closing its connections, is bounded: its close waits
   * forever on a connection that is reconnecting (Redis down, a cluster node gone:
   * taskforcesh/bullmq#4656). Past the bound the error is logged and the jobs BullMQ could not
   * mark finished come back through the stalled-job check (every handler is idempotent).
   */
  async beforeApplicationShutdown(): Promise<void> {
    const boundMs = Math.round(this.config.env.shutdownTimeoutMs * REDIS_SHARE_OF_SHUTDOWN);
    await Promise.all(
      this.workers.splice(0).map((w) => this.closeOne(w, boundMs).finally(w.release)),
    );
  }

  private async closeOne(
    { worker, active }: { worker: Worker; active: Set<Promise<unknown>> },
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
    if (!done)
      this.logger.error(
        { queue: worker.name, boundMs },
        'Worker did not close by the shutdown deadline (is Redis reachable?): its jobs finished, but any BullMQ could not mark finished come back through the stalled-job check',
      );
  }
}

/**
 * The part of SHUTDOWN_TIMEOUT BullMQ may take, after the handlers, to close a worker. Its close
 * takes up to about 5 s on a healthy Redis (a blocking fetch's drain delay): the scale suite saw
 * 5.06 s, so 20 % of the default 25 s was too little.
 */
const REDIS_SHARE_OF_SHUTDOWN = 0.6;
