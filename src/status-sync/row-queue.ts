import { Queue, type JobsOptions } from 'bullmq';
import type { HubConfig } from '../platform/config/hub-config';
import type { RowJobData } from '../platform/queue/queue-names';
import { redisConnection } from '../platform/queue/redis-connection';

/**
 * A queue whose jobs each stand for one database row (job data: the row id and a correlation
 * id), or, with `batchSize` > 1, for up to that many rows (`ids`; the job is named after the
 * first). Deterministic job ids make a re-publish a no-op; the rows are the truth.
 */
export class RowQueue {
  readonly queue: Queue<RowJobData>;

  constructor(
    config: HubConfig,
    readonly name: string,
    private readonly jobName: string,
    private readonly jobId: (rowId: string) => string,
    defaults: JobsOptions,
    private readonly batchSize = 1,
  ) {
    this.queue = new Queue<RowJobData>(name, {
      connection: redisConnection(config.env.redisUrl, 'producer'),
      prefix: config.env.redisPrefix,
      defaultJobOptions: {
        removeOnComplete: { age: 3_600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3_600 },
        ...defaults,
      },
    });
    // Errors surface on the add() that hit them; the emitter must not crash the process.
    this.queue.on('error', () => undefined);
  }

  async add(rows: RowJobData[]): Promise<void> {
    if (rows.length === 0) return;
    const jobs = [];
    for (let i = 0; i < rows.length; i += this.batchSize) {
      const chunk = rows.slice(i, i + this.batchSize);
      const data = this.batchSize > 1 ? { ...chunk[0], ids: chunk.map((r) => r.id) } : chunk[0];
      jobs.push({ name: this.jobName, data, opts: { jobId: this.jobId(chunk[0].id) } });
    }
    await this.queue.addBulk(jobs);
  }

  /** True when a job will still run for the row; a finished job is removed so it can be re-added. */
  async hasLiveJob(rowId: string): Promise<boolean> {
    const job = await this.queue.getJob(this.jobId(rowId));
    if (!job) return false;
    const state = await job.getState();
    if (state !== 'completed' && state !== 'failed') return true;
    await job.remove();
    return false;
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
