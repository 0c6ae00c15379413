import type { WorkerOptions } from 'bullmq';
import { RetryableError } from '../../../adapters/adapter';

const MAX_DELAY_MS = 10 * 60_000;

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

/**
 * Retries of a row job (a citizen's reminder or appeal, an SLA reminder, a notification) on the
 * same capped schedule as deliveries: 2 s doubling to 10 minutes, with jitter, so a portal or
 * mail server that is down for hours still gets the work once it is back. `attempts` sets how
 * long before the row is given up as FAILED (see ROW_RETRY_ATTEMPTS).
 */
export const ROW_RETRY = { type: 'capped' } as const;
const ROW_RETRY_BASE_MS = 2_000;

/** About 18 hours of retries for what a portal must receive, about 4 for notifications. */
export const ROW_RETRY_ATTEMPTS = { portalRequests: 150, notifications: 40 } as const;

/** The worker side of ROW_RETRY. */
export const rowRetrySettings: WorkerOptions['settings'] = {
  backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
    retryDelayMs(attemptsMade, ROW_RETRY_BASE_MS, error),
};
