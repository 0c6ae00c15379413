import { RetryableError } from '../../adapters/adapter';
import { retryDelayMs } from './backoff';

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
