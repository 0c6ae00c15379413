import { Logger } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { spawnRedisServer } from '../../src/platform/dev-stack/redis-server';
import { BackgroundHealth } from '../../src/platform/health/background-health';
import { HubMetrics } from '../../src/platform/metrics/metrics.service';
import { openQueue } from '../../src/platform/queue/open-queue';
import { retryJobOptions, type RetryPolicy } from '../../src/platform/queue/retry-policy';
import { WorkerHost } from '../../src/platform/queue/worker-host';
import { useMedium } from '../support/medium';
import { freePort, redisCommand } from '../support/redis-servers';
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

  /**
   * Redis not answering at shutdown: BullMQ's close then never returns (it waits for replies;
   * and for a connection that is reconnecting, taskforcesh/bullmq#4656, as after a cluster
   * failover). The host gives it a bound, and what it logs past the bound says whether any job's
   * outcome was left unrecorded: an error only then, with how many. A SIGSTOPped redis-server is
   * the deterministic case: connections stay open and nothing is answered.
   */
  describe('Redis not answering at shutdown', () => {
    const logged = {} as Record<'error' | 'warn', jest.SpyInstance>;
    beforeEach(() => {
      logged.error = jest.spyOn(Logger.prototype, 'error');
      logged.warn = jest.spyOn(Logger.prototype, 'warn');
    });
    afterEach(() => jest.restoreAllMocks());
    const hostOnPrivateRedis = async () => {
      const port = await freePort();
      const redis = await spawnRedisServer(port);
      medium.onClose(async () => void redis.kill('SIGKILL'));
      const env = {
        ...medium.config.env,
        redis: { kind: 'standalone' as const, url: `redis://127.0.0.1:${port}` },
        shutdownTimeoutMs: 1_000,
      };
      const config = { ...medium.config, env };
      const host = new WorkerHost(config, new BackgroundHealth(new HubMetrics()));
      const queue = openQueue(env, 'worker-host-frozen');
      // The queue closes first (its close would wait too). Afterwards Redis answers again, so the
      // close the host gave up on completes and leaves no connection behind.
      const freezeRedis = async (worker: Worker) => {
        await queue.close();
        redis.kill('SIGSTOP');
        medium.onClose(async () => {
          redis.kill('SIGCONT');
          await worker.close();
        });
      };
      const closeMessages = (spy: jest.SpyInstance) =>
        spy.mock.calls.filter((c) => String(c[1]).includes('shutdown deadline'));
      const lockKey = (jobId: string) => `${env.redisPrefix}:worker-host-frozen:${jobId}:lock`;
      return { host, queue, freezeRedis, closeMessages, port, lockKey };
    };

    /** A worker whose one job runs until the test releases it. */
    const startHeldWorker = (host: WorkerHost) => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const worker = host.startWorker({
        queue: 'worker-host-frozen',
        concurrency: 1,
        retry: policy,
        process: async () => {
          started();
          await released;
          return 'done';
        },
      });
      return { worker, running, release };
    };

    it('every outcome recorded: a warning that BullMQ left its connections, no error', async () => {
      const { host, queue, freezeRedis, closeMessages } = await hostOnPrivateRedis();
      const worker = host.startWorker({
        queue: 'worker-host-frozen',
        concurrency: 1,
        retry: policy,
        process: async () => 'done',
      });
      const completed = new Promise((r) => worker.once('completed', r));
      await queue.add('probe', {}, { jobId: 'frozen-1' });
      await completed;
      await freezeRedis(worker);

      await host.beforeApplicationShutdown();
      expect(closeMessages(logged.error)).toEqual([]);
      expect(closeMessages(logged.warn)).toEqual([
        [
          expect.objectContaining({ queue: 'worker-host-frozen', unrecorded: 0 }),
          expect.any(String),
        ],
      ]);
    }, 20_000);

    it("a job's outcome left unrecorded: an error naming how many", async () => {
      const { host, queue, freezeRedis, closeMessages } = await hostOnPrivateRedis();
      const { worker, running, release } = startHeldWorker(host);
      await queue.add('probe', {}, { jobId: 'frozen-2' });
      await running;
      await freezeRedis(worker);
      release();

      await host.beforeApplicationShutdown();
      expect(closeMessages(logged.error)).toEqual([
        [
          expect.objectContaining({ queue: 'worker-host-frozen', unrecorded: 1 }),
          expect.any(String),
        ],
      ]);
    }, 20_000);

    it('a job whose lock was lost (another worker has it) is not counted as unrecorded', async () => {
      const { host, queue, freezeRedis, closeMessages, port, lockKey } = await hostOnPrivateRedis();
      const { worker, running, release } = startHeldWorker(host);
      const lockErrors: string[] = [];
      worker.on('error', (e) => e.message.includes('Missing lock') && lockErrors.push(e.message));
      await queue.add('probe', {}, { jobId: 'frozen-3' });
      await running;
      // The lock gone, as when it ran out during a freeze and the job passed to another worker:
      // BullMQ can record neither outcome, and emits no 'completed' or 'failed'.
      expect(await redisCommand(port, 'DEL', lockKey('frozen-3'))).toBe(1);
      release();
      await waitFor(() => lockErrors.length === 2, { what: 'completing and failing refused' });
      await freezeRedis(worker);

      await host.beforeApplicationShutdown();
      expect(closeMessages(logged.error)).toEqual([]);
      expect(closeMessages(logged.warn)).toEqual([
        [expect.objectContaining({ unrecorded: 0, running: 0 }), expect.any(String)],
      ]);
    }, 20_000);
  });
});
