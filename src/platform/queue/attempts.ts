import type { Job } from 'bullmq';

/** Whether the job's current attempt is its last: on failure nothing retries it. */
export function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
