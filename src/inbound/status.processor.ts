import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import type { RowJobData } from '../platform/queue/queue-names';
import { SlaService } from '../sla/sla.service';
import { planComplaint } from './status-batch-plan';
import { StatusSyncRepository } from './status-sync.repository';

/**
 * Applies stored portal events to the lifecycle, a batch at a time. Locks every grievance the
 * job's events belong to and handles all of their pending events in occurredAt order, so events
 * apply in the order they happened whatever order their jobs run in. Idempotent: a processed
 * event is never applied again, and a rerun of a job finds nothing pending.
 */
@Injectable()
export class StatusProcessor {
  private readonly logger = new Logger(StatusProcessor.name);
  private readonly portals: string[];

  constructor(
    @InjectConfig() config: HubConfig,
    private readonly repository: StatusSyncRepository,
    private readonly sla: SlaService,
  ) {
    this.portals = config.portals.map((p) => p.code);
  }

  async process(job: Job<RowJobData>): Promise<string> {
    return this.apply(job.data.ids ?? [job.data.id], job.data.correlationId, job.id);
  }

  async apply(ids: string[], correlationId?: string, jobId?: string): Promise<string> {
    const started = performance.now();
    const result = await this.repository.applyPending(ids, (complaint, events) =>
      planComplaint(complaint, events, this.portals, (portal, category, at) =>
        this.sla.appealDueAt(portal, category, at),
      ),
    );
    if (result.complaints === 0) return 'already-processed';
    const outcomes: Record<string, number> = {};
    for (const p of result.processed) outcomes[p.outcome] = (outcomes[p.outcome] ?? 0) + 1;
    this.logger.log(
      {
        jobId,
        correlationId,
        complaints: result.complaints,
        events: result.processed.length,
        outcomes,
        ms: Math.round(performance.now() - started),
      },
      'Status events processed',
    );
    return (
      Object.entries(outcomes)
        .map(([o, n]) => `${o}:${n}`)
        .join(',') || 'nothing-pending'
    );
  }
}
