import type { Job, Worker } from 'bullmq';
import { BackgroundHealth } from '../../src/platform/health/background-health';
import { HubMetrics } from '../../src/platform/metrics/metrics.service';
import { openQueue } from '../../src/platform/queue/open-queue';
import { retryJobOptions, type RetryPolicy } from '../../src/platform/queue/retry-policy';
import { WorkerHost } from '../../src/platform/queue/worker-host';
import { useMedium } from '../support/medium';
import { waitFor } from '../support/wait';

/**
 * Medium tier: the one worker host, on the private Redis prefix. A job added with a policy's
 * options is retried on that policy's schedule by the worker the host started, its failed run is
 * reported to BackgroundHealth and cleared by the success, and the host closes its workers.
 */
describe('WorkerHost', () => {
  const medium = useMedium();
  const policy: RetryPolicy = { attempts: 3, schedule: 'capped', baseMs: 20, type: 'test-capped' };

  it('runs a queue on its retry policy, reports to BackgroundHealth, closes on shutdown', async () => {
    const background = new BackgroundHealth(new HubMetrics());
    const host = new WorkerHost(medium.config, background);
    const queue = openQueue(medium.config.env, 'worker-host-test');
    medium.onClose(() => queue.close());
    medium.onClose(() => host.beforeApplicationShutdown());

    const runs: { attemptsMade: number; sameWorker: boolean }[] = [];
    // The retry waits until the test has seen the failure, which the retry's success clears.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const started: Worker = host.startWorker({
      queue: 'worker-host-test',
      concurrency: 1,
      retry: policy,
      process: async (job: Job, worker: Worker) => {
        runs.push({ attemptsMade: job.attemptsMade, sameWorker: worker === started });
        if (runs.length === 1) throw new Error('first run fails');
        await released;
        return 'done';
      },
    });

    await queue.add('probe', {}, { jobId: 'probe-1', ...retryJobOptions(policy) });
    await waitFor(() => background.failures().length === 1, { what: 'the failed run reported' });
    expect(background.failures()[0]).toMatchObject({
      queue: 'worker-host-test',
      job: 'probe',
      reason: 'first run fails',
    });
    release();
    // The state first, then the job: a job read before it completed holds no return value.
    await waitFor(async () => (await queue.getJobState('probe-1')) === 'completed', {
      what: 'the retried job to complete',
    });
    expect((await queue.getJob('probe-1'))?.returnvalue).toBe('done');
    expect(runs).toEqual([
      { attemptsMade: 0, sameWorker: true },
      { attemptsMade: 1, sameWorker: true },
    ]);
    expect(background.failures()).toEqual([]);

    await host.beforeApplicationShutdown();
    expect(started.isRunning()).toBe(false);
  });
});
