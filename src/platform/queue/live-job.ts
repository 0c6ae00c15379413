import type { Queue } from 'bullmq';

/**
 * True when a job with this id will still run. A job that already finished (completed or failed)
 * is removed, so that the same deterministic id can be queued again.
 */
export async function hasLiveJob(queue: Queue, jobId: string): Promise<boolean> {
  const job = await queue.getJob(jobId);
  if (!job) return false;
  const state = await job.getState();
  if (state !== 'completed' && state !== 'failed') return true;
  await job.remove();
  return false;
}

/**
 * The rows whose job no longer exists (see hasLiveJob), checked together: ioredis sends the
 * concurrent commands down one connection, one round trip for the lot.
 */
export async function withoutLiveJob<R>(
  rows: R[],
  isLive: (row: R) => Promise<boolean>,
): Promise<R[]> {
  const live = await Promise.all(rows.map(isLive));
  return rows.filter((_, i) => !live[i]);
}
