import type { Job, JobsOptions, WorkerOptions } from 'bullmq';
import { RetryableError } from '../../../adapters/adapter';

const MAX_DELAY_MS = 10 * 60_000;

/**
 * How a kind of work is retried: how many attempts in all, and the schedule between them.
 * `capped`: exponential from `baseMs` with full jitter, capped at ten minutes, or the portal's
 * Retry-After (the hub's own strategy, registered on the worker under the name `type`);
 * `exponential`: BullMQ's built-in doubling from `baseMs`. The producer's job options and the
 * worker's settings are both derived from one policy, so the two sides cannot disagree.
 */
export interface RetryPolicy {
  attempts: number;
  schedule: 'capped' | 'exponential';
  baseMs: number;
  /** The backoff type stored in each job (persisted in Redis: do not rename). */
  type?: string;
}

/** About 18 hours of retries for what a portal must receive (reminders, appeals). */
const portalRequests: RetryPolicy = {
  attempts: 150,
  schedule: 'capped',
  baseMs: 2_000,
  type: 'capped',
};

/**
 * Every named policy of the hub's queues, one per kind of work. Row jobs (a citizen's reminder or
 * appeal, an SLA reminder, a notification) retry on the same capped schedule as deliveries, 2 s
 * doubling to 10 minutes, so a portal or mail server down for hours still gets the work once
 * it is back; `attempts` sets how long before the row is given up as FAILED.
 */
export const RETRY = {
  portalRequests,
  /** About 4 hours for notifications. */
  notifications: { ...portalRequests, attempts: 40 },
  /** A batch of inbound events: its failures are the database's, which comes back soon. */
  statusSync: { attempts: 10, schedule: 'exponential', baseMs: 500 },
  /** Linking a new grievance to its cluster: only the database fails it, which comes back soon. */
  clusterLinks: { attempts: 10, schedule: 'exponential', baseMs: 1_000 },
  /** One poll of a pull portal: the next scheduled poll starts from the same cursor anyway. */
  statusPoll: { attempts: 3, schedule: 'exponential', baseMs: 1_000 },
} as const satisfies Record<string, RetryPolicy>;

/** Delivery to a portal: the portal's own attempts and base delay (config/portals.yaml). */
export function deliveryRetry(delivery: { attempts: number; backoffMs: number }): RetryPolicy {
  return {
    attempts: delivery.attempts,
    schedule: 'capped',
    baseMs: delivery.backoffMs,
    type: 'portal',
  };
}

/** The producer side: the options each job of this kind is added with. */
export function retryJobOptions(policy: RetryPolicy): Pick<JobsOptions, 'attempts' | 'backoff'> {
  return {
    attempts: policy.attempts,
    backoff:
      policy.schedule === 'capped'
        ? { type: policy.type ?? 'capped' }
        : { type: 'exponential', delay: policy.baseMs },
  };
}

/** The worker side: the strategy a capped policy's jobs name (none for BullMQ's built-ins). */
export function retryWorkerSettings(policy: RetryPolicy | undefined): WorkerOptions['settings'] {
  if (policy?.schedule !== 'capped') return undefined;
  return {
    backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
      retryDelayMs(attemptsMade, policy.baseMs, error),
  };
}

/** Whether the job's current attempt is its last: on failure nothing retries it. */
export function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * Exponential backoff with full jitter (spreads retries of a recovering portal), except when
 * the portal said when to come back (429/503 with Retry-After).
 */
export function retryDelayMs(
  attemptsMade: number,
  baseMs: number,
  error?: Error,
  random = Math.random,
): number {
  if (error instanceof RetryableError && error.details.retryAfterMs !== undefined) {
    return Math.min(error.details.retryAfterMs, MAX_DELAY_MS);
  }
  const ceiling = Math.min(baseMs * 2 ** Math.max(attemptsMade - 1, 0), MAX_DELAY_MS);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
