import { Queue, type JobType, type JobsOptions } from 'bullmq';
import type { HubConfig } from '../platform/config/hub-config';
import type { RowJobData } from '../platform/queue/queue-names';
import { hasLiveJob, withoutLiveJob } from '../platform/queue/live-job';
import { openQueue } from '../platform/queue/open-queue';

/**
 * A queue whose jobs each stand for one database row (job data: the row id and a correlation
 * id), or, with `batchSize` > 1, for up to that many rows (`ids`; the job is named after the
 * first). Deterministic job ids make a re-publish a no-op; the rows are the truth.
 */
const LIVE_STATES: JobType[] = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'];

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
    this.queue = openQueue<RowJobData>(config.env, name, {
      defaultJobOptions: {
        removeOnComplete: { age: 3_600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3_600 },
        ...defaults,
      },
    });
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

  /**
   * The rows no job will handle. A batched job is named after the first row of its chunk, so
   * the others are found through the `ids` of the jobs still to run. A finished job under a
   * missing row's id is removed (see platform/queue/live-job), so that re-adding it is not a no-op.
   */
  async withoutLiveJob<R extends { id: string }>(rows: R[]): Promise<R[]> {
    let candidates = rows;
    if (this.batchSize > 1 && rows.length > 0) {
      const live = await this.queue.getJobs(LIVE_STATES);
      const covered = new Set(live.flatMap((job) => job?.data.ids ?? [job?.data.id]));
      candidates = rows.filter((r) => !covered.has(r.id));
    }
    return withoutLiveJob(candidates, (row) => hasLiveJob(this.queue, this.jobId(row.id)));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
