import { RetryableError } from '../../../adapters/adapter';
import { ROW_RETRY_ATTEMPTS, retryDelayMs, rowRetrySettings } from './backoff';

describe('retryDelayMs', () => {
  it.each([
    [1, 0, 500],
    [1, 1, 1000],
    [2, 0, 1000],
    [3, 1, 4000],
    [30, 1, 600_000],
  ])('attempt %i with random %d → %i ms (base 1000)', (attempt, random, expected) => {
    expect(retryDelayMs(attempt, 1000, new Error('x'), () => random)).toBe(expected);
  });

  it('honours Retry-After from the portal', () => {
    const error = new RetryableError('429', { ambiguous: false, retryAfterMs: 7000 });
    expect(retryDelayMs(5, 1000, error, () => 0.5)).toBe(7000);
  });

  it('caps Retry-After at ten minutes', () => {
    const error = new RetryableError('503', { ambiguous: false, retryAfterMs: 86_400_000 });
    expect(retryDelayMs(1, 1000, error)).toBe(600_000);
  });
});

describe('row retries', () => {
  /** Hours from the first failure to the last attempt, with Math.random as mocked. */
  const windowHours = (attempts: number) => {
    let ms = 0;
    for (let made = 1; made < attempts; made++)
      ms += rowRetrySettings!.backoffStrategy!(
        made,
        'capped',
        new Error('down'),
        {} as never,
      ) as number;
    return ms / 3_600_000;
  };

  it.each([
    ['portal requests', ROW_RETRY_ATTEMPTS.portalRequests, 10, 26],
    ['notifications', ROW_RETRY_ATTEMPTS.notifications, 2, 7],
  ])('keep trying %s for hours, not minutes', (_what, attempts, minHours, maxHours) => {
    const spy = jest.spyOn(Math, 'random');
    try {
      spy.mockReturnValue(0);
      const fastest = windowHours(attempts);
      spy.mockReturnValue(1);
      const slowest = windowHours(attempts);
      expect(fastest).toBeGreaterThanOrEqual(minHours);
      expect(slowest).toBeLessThanOrEqual(maxHours);
    } finally {
      spy.mockRestore();
    }
  });
});
