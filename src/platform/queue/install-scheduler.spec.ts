import type { Queue } from 'bullmq';
import { BackgroundHealth } from '../health/background-health';
import { HubMetrics } from '../metrics/metrics.service';
import { installScheduler } from './install-scheduler';

describe('installScheduler', () => {
  const queueThat = (upsert: () => Promise<unknown>) =>
    ({ name: 'sla', upsertJobScheduler: jest.fn(upsert) }) as unknown as Queue;

  it('reports a scheduler that could not be installed: its jobs would never run', async () => {
    const metrics = new HubMetrics();
    const health = new BackgroundHealth(metrics);
    await installScheduler(
      queueThat(() => Promise.reject(new Error('Connection is closed.'))),
      'sla-scan',
      { every: 60_000 },
      { name: 'sla-scan' },
      health,
    );
    expect(health.failures()).toEqual([
      expect.objectContaining({
        queue: 'sla',
        job: 'install-scheduler:sla-scan',
        reason: 'Connection is closed.',
      }),
    ]);
    expect(await metrics.registry.metrics()).toMatch(
      /hub_background_failures_total\{queue="sla",job="install-scheduler:sla-scan"\} 1/,
    );
  });

  it('clears the report once a later install succeeds', async () => {
    const health = new BackgroundHealth(new HubMetrics());
    health.failed('sla', 'install-scheduler:sla-scan', new Error('earlier'));
    await installScheduler(
      queueThat(() => Promise.resolve({})),
      'sla-scan',
      { every: 60_000 },
      { name: 'sla-scan' },
      health,
    );
    expect(health.failures()).toEqual([]);
  });
});
