import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { UnrecoverableError, type Worker } from 'bullmq';
import { HubMetrics } from '../metrics/metrics.service';
import { RelayLoop } from '../queue/relay-loop';
import { BackgroundHealth } from './background-health';

describe('BackgroundHealth', () => {
  let metrics: HubMetrics;
  let health: BackgroundHealth;
  let errors: jest.SpyInstance;
  beforeEach(() => {
    metrics = new HubMetrics();
    health = new BackgroundHealth(metrics);
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('keeps a failure until a later success of the same job on the same queue', () => {
    health.failed('sla', 'sla-refresh-rollup', new Error('duplicate key value'), { jobId: '1' });
    health.failed('sla', 'sla-scan', new Error('timeout'), { jobId: '2' });
    health.succeeded('sla', 'pii-retention'); // another job: changes nothing
    expect(health.failures().map((f) => [f.job, f.reason])).toEqual([
      ['sla-refresh-rollup', 'duplicate key value'],
      ['sla-scan', 'timeout'],
    ]);
    health.succeeded('sla', 'sla-refresh-rollup');
    expect(health.failures().map((f) => f.job)).toEqual(['sla-scan']);
  });

  it('counts every failed run, by queue and job', async () => {
    for (let i = 0; i < 3; i++) health.failed('notifications', 'notify-citizen', new Error('x'));
    expect(await metrics.scrape()).toMatch(
      /hub_background_failures_total\{queue="notifications",job="notify-citizen"\} 3/,
    );
    expect(health.failures()[0]).toMatchObject({ failures: 3 });
  });

  it('logs each failed job at error, but a loop failing on every tick once per reason', () => {
    health.failed('sla', 'sla-scan', new Error('a'), { jobId: '1' });
    health.failed('sla', 'sla-scan', new Error('a'), { jobId: '2' });
    const loop = health.reporter('relay', 'dispatch-outbox');
    loop.failed('Redis is away');
    loop.failed('Redis is away');
    loop.failed('PostgreSQL is away');
    expect(errors.mock.calls.map(([fields]) => [fields.job, fields.reason])).toEqual([
      ['sla-scan', 'a'],
      ['sla-scan', 'a'],
      ['dispatch-outbox', 'Redis is away'],
      ['dispatch-outbox', 'PostgreSQL is away'],
    ]);
  });

  it('says a job failed for good will not retry, whatever attempts it had left', () => {
    const worker = Object.assign(new EventEmitter(), { name: 'dispatch-cpgrams' });
    health.watch(worker as unknown as Worker);
    const job = { id: '7', name: 'dispatch', attemptsMade: 1, opts: { attempts: 5 } };
    worker.emit('failed', job, new Error('timeout'));
    worker.emit('failed', job, new UnrecoverableError('cpgrams refused the grievance'));
    expect(errors.mock.calls.map(([fields]) => fields.willRetry)).toEqual([true, false]);
  });

  it('gives a multi-line driver message on one line, cut to a readable length', () => {
    health.failed(
      'sla',
      'sla-refresh-rollup',
      new Error('Invalid `$executeRaw()`:\n\n  Raw query failed'),
    );
    health.failed('sla', 'sla-scan', new Error('x'.repeat(1_000)));
    const [rollup, scan] = health.failures();
    expect(rollup.reason).toBe('Invalid `$executeRaw()`: Raw query failed');
    expect(scan.reason.length).toBeLessThanOrEqual(301);
  });

  it('keeps e-mail addresses and mobile numbers a driver quotes out of the reason', () => {
    health.failed(
      'notifications',
      'notify-citizen',
      new Error('550 <asha@example.in> refused, SMS to +919876543210 failed'),
    );
    expect(health.failures()[0].reason).toBe('550 <[redacted]> refused, SMS to [redacted] failed');
  });
});

describe('RelayLoop reports each tick', () => {
  afterEach(() => jest.useRealTimers());

  it('a failing drain, then the tick that works again', async () => {
    jest.useFakeTimers();
    const reporter = { failed: jest.fn(), succeeded: jest.fn() };
    const drain = jest.fn().mockRejectedValueOnce(new Error('Redis is away')).mockResolvedValue(0);
    const loop = new RelayLoop(
      'dispatches',
      new Logger('test'),
      { drain, sweep: async () => 0 },
      reporter,
    );
    loop.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(reporter.failed).toHaveBeenCalledWith(
      'Redis is away',
      expect.objectContaining({ relay: 'dispatches' }),
    );
    expect(reporter.succeeded).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(reporter.succeeded).toHaveBeenCalled();
    await loop.stop();
  });
});
