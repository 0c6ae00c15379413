import { RetryableError } from '../../adapters/adapter';

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
