import { RetryableError } from '../../../adapters/adapter';
import type { Job } from 'bullmq';
import {
  RETRY,
  deliveryRetry,
  isLastAttempt,
  retryDelayMs,
  retryJobOptions,
  retryWorkerSettings,
  type RetryPolicy,
} from './retry-policy';

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
  const windowHours = (policy: RetryPolicy) => {
    let ms = 0;
    for (let made = 1; made < policy.attempts; made++)
      ms += retryWorkerSettings(policy)!.backoffStrategy!(
        made,
        'capped',
        new Error('down'),
        {} as never,
      ) as number;
    return ms / 3_600_000;
  };

  it.each([
    ['portal requests', RETRY.portalRequests, 10, 26],
    ['notifications', RETRY.notifications, 2, 7],
  ])('keep trying %s for hours, not minutes', (_what, policy, minHours, maxHours) => {
    const spy = jest.spyOn(Math, 'random');
    try {
      spy.mockReturnValue(0);
      const fastest = windowHours(policy);
      spy.mockReturnValue(1);
      const slowest = windowHours(policy);
      expect(fastest).toBeGreaterThanOrEqual(minHours);
      expect(slowest).toBeLessThanOrEqual(maxHours);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('one policy, both sides', () => {
  it.each([
    ['portal requests', RETRY.portalRequests, { attempts: 150, backoff: { type: 'capped' } }],
    ['notifications', RETRY.notifications, { attempts: 40, backoff: { type: 'capped' } }],
    [
      'status sync',
      RETRY.statusSync,
      { attempts: 10, backoff: { type: 'exponential', delay: 500 } },
    ],
    [
      'status poll',
      RETRY.statusPoll,
      { attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
    ],
    [
      'a delivery',
      deliveryRetry({ attempts: 8, backoffMs: 1000 }),
      { attempts: 8, backoff: { type: 'portal' } },
    ],
  ])('%s: the job options the producer adds', (_what, policy, expected) => {
    expect(retryJobOptions(policy)).toEqual(expected);
  });

  it('a capped policy registers its strategy on the worker, from its own base delay', () => {
    const settings = retryWorkerSettings(deliveryRetry({ attempts: 8, backoffMs: 3000 }));
    const spy = jest.spyOn(Math, 'random').mockReturnValue(1);
    try {
      expect(settings!.backoffStrategy!(2, 'portal', new Error('x'), {} as never)).toBe(6000);
    } finally {
      spy.mockRestore();
    }
  });

  it("BullMQ's built-in schedules need no worker strategy", () => {
    expect(retryWorkerSettings(RETRY.statusSync)).toBeUndefined();
    expect(retryWorkerSettings(undefined)).toBeUndefined();
  });
});

describe('isLastAttempt', () => {
  const job = (attemptsMade: number, attempts?: number) =>
    ({ attemptsMade, opts: { attempts } }) as Job;
  it.each([
    [0, undefined, true],
    [0, 3, false],
    [1, 3, false],
    [2, 3, true],
  ])('%i attempts made of %s: last = %s', (made, attempts, expected) => {
    expect(isLastAttempt(job(made, attempts))).toBe(expected);
  });
});
