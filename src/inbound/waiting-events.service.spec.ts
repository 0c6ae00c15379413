import { Logger } from '@nestjs/common';
import { BackgroundHealth } from '../platform/health/background-health';
import { HubMetrics } from '../platform/metrics/metrics.service';
import type { WaitingEventsRepository } from './waiting-events.repository';
import { WaitingEventsSweep } from './waiting-events.service';

describe('WaitingEventsSweep reports each run to BackgroundHealth', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('a failing sweep degrades readiness until a later sweep succeeds', async () => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const metrics = new HubMetrics();
    const health = new BackgroundHealth(metrics);
    const release = jest
      .fn()
      .mockRejectedValueOnce(new Error('PostgreSQL is away'))
      .mockResolvedValue([]);
    const repository = {
      release,
      expire: async () => [],
      purge: async () => 0,
    } as unknown as WaitingEventsRepository;
    const sweep = new WaitingEventsSweep(repository, metrics, health);
    sweep.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(10_000);
    expect(health.failures().map((f) => [f.queue, f.job, f.reason])).toEqual([
      ['sweep', 'waiting-status-events', 'PostgreSQL is away'],
    ]);

    await jest.advanceTimersByTimeAsync(10_000);
    expect(health.failures()).toEqual([]);
    await sweep.beforeApplicationShutdown();
  });

  it('never starts a run while the last one is still going', async () => {
    jest.useFakeTimers();
    let finish!: () => void;
    const release = jest.fn(() => new Promise<never[]>((resolve) => (finish = () => resolve([]))));
    const repository = {
      release,
      expire: async () => [],
      purge: async () => 0,
    } as unknown as WaitingEventsRepository;
    const metrics = new HubMetrics();
    const sweep = new WaitingEventsSweep(repository, metrics, new BackgroundHealth(metrics));
    sweep.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(35_000); // the first run hangs past three periods
    expect(release).toHaveBeenCalledTimes(1);
    finish();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(release).toHaveBeenCalledTimes(2);
    finish();
    await sweep.beforeApplicationShutdown();
  });
});
