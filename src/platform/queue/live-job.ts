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
