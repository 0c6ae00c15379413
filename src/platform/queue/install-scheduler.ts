import type { JobSchedulerTemplateOptions, Queue, RepeatOptions } from 'bullmq';
import type { BackgroundHealth } from '../health/background-health';

/**
 * Installs (or updates) a job scheduler without holding up start-up: with Redis away, BullMQ's
 * call waits until it is back, and awaiting it in a bootstrap hook kept the whole process (its
 * HTTP server and health checks included) from starting. The call completes when Redis returns.
 * A scheduler that could not be installed never runs its jobs: that is a background failure
 * (logged at error, counted, /health/ready degraded) until an install succeeds. The promise
 * never rejects; callers need not wait for it.
 */
export function installScheduler(
  queue: Queue,
  id: string,
  repeat: Omit<RepeatOptions, 'key'>,
  template: { name?: string; data?: unknown; opts?: JobSchedulerTemplateOptions },
  health: BackgroundHealth,
): Promise<void> {
  const job = `install-scheduler:${id}`;
  return queue.upsertJobScheduler(id, repeat, template).then(
    () => health.succeeded(queue.name, job),
    (error: Error) => health.failed(queue.name, job, error, { scheduler: id }),
  );
}
