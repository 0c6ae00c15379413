import type { Logger } from '@nestjs/common';
import type { JobSchedulerTemplateOptions, Queue, RepeatOptions } from 'bullmq';

/**
 * Installs (or updates) a job scheduler without holding up start-up: with Redis away, BullMQ's
 * call waits until it is back, and awaiting it in a bootstrap hook kept the whole process (its
 * HTTP server and health checks included) from starting. The call completes when Redis returns.
 */
export function installScheduler(
  queue: Queue,
  id: string,
  repeat: Omit<RepeatOptions, 'key'>,
  template: { name?: string; data?: unknown; opts?: JobSchedulerTemplateOptions },
  logger: Logger,
): void {
  queue
    .upsertJobScheduler(id, repeat, template)
    .catch((error: Error) =>
      logger.warn({ scheduler: id, error: error.message }, 'Job scheduler not installed'),
    );
}
