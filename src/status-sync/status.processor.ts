import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import type { RowJobData } from '../platform/queue/queue-names';
import { SlaService } from '../sla/sla.service';
import { planEvent, type PlanContext } from './status-plan';
import { ComplaintUnit, StatusSyncRepository, type PendingEvent } from './status-sync.repository';

/**
 * Applies stored portal events to the lifecycle. Takes the grievance's row lock and handles all
 * of its pending events in occurredAt order, so events of one batch apply in the order they
 * happened whatever order their jobs run in. Idempotent: a processed event is never applied again.
 */
@Injectable()
export class StatusProcessor {
  private readonly logger = new Logger(StatusProcessor.name);

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly repository: StatusSyncRepository,
    private readonly sla: SlaService,
  ) {}

  async process(job: Job<RowJobData>): Promise<string> {
    const head = await this.repository.inboundEvent(job.data.id);
    if (!head || head.processedAt) return 'already-processed';
    const outcomes = await this.repository.withLockedComplaint(head.complaintId, (unit) =>
      this.applyPending(unit),
    );
    for (const o of outcomes) {
      this.logger.log(
        { ...o, jobId: job.id, correlationId: job.data.correlationId },
        'Status event processed',
      );
    }
    return outcomes.map((o) => o.outcome).join(',') || 'nothing-pending';
  }

  private async applyPending(unit: ComplaintUnit) {
    const c = unit.complaint;
    const ctx: PlanContext = {
      portals: this.config.portals.map((p) => p.code),
      appealDueAt: (at) => this.sla.appealDueAt(c.primaryPortalCode, c.category, at),
    };
    const outcomes: { trackingId: string; portal: string; eventId: string; outcome: string }[] = [];
    for (const e of await unit.pendingEvents()) {
      const outcome = await this.applyOne(unit, e, ctx);
      if (outcome)
        outcomes.push({
          trackingId: c.trackingId,
          portal: e.portalCode,
          eventId: e.eventId,
          outcome,
        });
    }
    return outcomes;
  }

  private async applyOne(unit: ComplaintUnit, e: PendingEvent, ctx: PlanContext) {
    const plan = planEvent(unit.complaint, { ...e, fromResponsiblePortal: e.dispatchPrimary }, ctx);
    const deferred = e.processedAt !== null;
    // Seen before and still not applicable: its timeline entry exists, nothing to do.
    if (deferred && plan.outcome !== 'applied') return null;
    const statusEventId =
      plan.timeline && !deferred
        ? await unit.addTimeline(e, plan.timeline.status, plan.timeline.remarks)
        : null;
    if (plan.change) await unit.apply(plan.change);
    if (plan.transferTo) await unit.transfer(plan.transferTo, e.correlationId);
    if (plan.notify && statusEventId) await unit.notify(statusEventId, plan.notify);
    await unit.markProcessed(e.id, deferred ? 'applied-after-reorder' : plan.outcome);
    await unit.touchDispatch(e.dispatchId);
    return deferred ? 'applied-after-reorder' : plan.outcome;
  }
}
