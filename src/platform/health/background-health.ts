import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import { Counter } from 'prom-client';
import { redactText } from '../logging/redact-text';
import { HubMetrics } from '../metrics/metrics.service';

/** The last failure of one background job (a queue's job, or an in-process loop). */
export interface BackgroundFailure {
  queue: string;
  job: string;
  reason: string;
  /** When it started failing, and when it last failed. */
  since: string;
  lastAt: string;
  failures: number;
}

/** What a loop or scheduler reports about one of its runs. */
export interface RunReporter {
  failed(reason: string, context?: Record<string, unknown>): void;
  succeeded(): void;
}

// A portal's or driver's message can be long; the log and /health/ready need its gist.
const REASON_MAX = 300;

/**
 * The one place background failures go: every BullMQ worker (through `watch`) and every
 * in-process loop (through `reporter`) reports here. A failure is logged at error with its
 * queue, job and reason, counted in hub_background_failures_total{queue,job}, and keeps
 * /health/ready `degraded` until a later run of the same job on the same queue succeeds.
 * Per process: each worker process reports its own runs.
 */
@Injectable()
export class BackgroundHealth {
  private readonly logger = new Logger('BackgroundJobs');
  private readonly failing = new Map<string, BackgroundFailure>();
  private readonly counter: Counter<'queue' | 'job'>;

  constructor(metrics: HubMetrics) {
    this.counter = new Counter({
      name: 'hub_background_failures_total',
      help: 'Failed runs of background jobs and loops, by queue and job',
      labelNames: ['queue', 'job'] as const,
      registers: [metrics.registry],
    });
  }

  failed(queue: string, job: string, error: unknown, context: Record<string, unknown> = {}): void {
    const reason = reasonOf(error);
    const key = `${queue}\u0000${job}`;
    const now = new Date().toISOString();
    const before = this.failing.get(key);
    this.failing.set(key, {
      queue,
      job,
      reason,
      since: before?.since ?? now,
      lastAt: now,
      failures: (before?.failures ?? 0) + 1,
    });
    this.counter.inc({ queue, job });
    // A loop that fails on every tick says so once per reason, not once a second.
    if (before?.reason !== reason || context.jobId !== undefined)
      this.logger.error({ queue, job, reason, ...context }, `Background job ${job} failed`);
  }

  succeeded(queue: string, job: string): void {
    const before = this.failing.get(`${queue}\u0000${job}`);
    if (!before) return;
    this.failing.delete(`${queue}\u0000${job}`);
    this.logger.log({ queue, job, failures: before.failures }, `Background job ${job} recovered`);
  }

  /** Every job whose last run failed, oldest failure first. */
  failures(): BackgroundFailure[] {
    return [...this.failing.values()].sort((a, b) => a.since.localeCompare(b.since));
  }

  /** Reports every run of this worker's jobs: failed runs and the successes that clear them. */
  watch(worker: Worker): void {
    worker.on('failed', (job: Job | undefined, error: Error) =>
      this.failed(worker.name, job?.name ?? 'unknown', error, {
        jobId: job?.id,
        attemptsMade: job?.attemptsMade,
        // An UnrecoverableError fails the job for good, attempts left or not.
        willRetry:
          job !== undefined &&
          !(error instanceof UnrecoverableError) &&
          job.attemptsMade < (job.opts.attempts ?? 1),
      }),
    );
    worker.on('completed', (job: Job) => this.succeeded(worker.name, job.name));
  }

  /** For a loop that is not a queue's worker (relays): one named job. */
  reporter(queue: string, job: string): RunReporter {
    return {
      failed: (reason, context) => this.failed(queue, job, reason, context),
      succeeded: () => this.succeeded(queue, job),
    };
  }
}

function reasonOf(error: unknown): string {
  // Driver messages span lines ("Invalid `$executeRaw()` invocation:\n\nRaw query failed…").
  const message = error instanceof Error ? error.message : String(error);
  const text = redactText(message).replace(/\s+/g, ' ').trim();
  const reason = text || (error as Error)?.name || 'unknown error';
  return reason.length > REASON_MAX ? `${reason.slice(0, REASON_MAX)}…` : reason;
}
