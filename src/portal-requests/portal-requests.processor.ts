import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { PermanentError } from '../../adapters/adapter';
import type { RowJobData } from '../platform/queue/queue-names';
import { PortalRegistry } from '../portals/portal-registry.service';
import { PortalRequestsRepository } from './portal-requests.repository';
import { isLastAttempt } from '../platform/queue/retry-policy';
import { SLA_REMINDER } from '../sla/sla-actions.repository';

const NO_LONGER_DUE = 'not sent: the grievance was resolved or moved to another portal';

/** Forwards a citizen's reminder or appeal to the portal through its adapter, with retries. */
@Injectable()
export class PortalRequestsProcessor {
  private readonly logger = new Logger(PortalRequestsProcessor.name);

  constructor(
    private readonly repository: PortalRequestsRepository,
    private readonly portals: PortalRegistry,
  ) {}

  async process(job: Job<RowJobData>): Promise<string> {
    const request = await this.repository.find(job.data.id);
    if (!request || request.state !== 'PENDING') return 'already-settled';
    const log = {
      requestId: request.id,
      kind: request.kind,
      portal: request.portalCode,
      jobId: job.id,
      correlationId: request.correlationId,
    };
    if (request.kind === SLA_REMINDER && !(await this.repository.reminderStillDue(request))) {
      await this.repository.markCancelled(request.id, NO_LONGER_DUE);
      this.logger.log(log, 'SLA reminder cancelled: the grievance moved on');
      return 'cancelled';
    }
    try {
      const portalRef = await this.forward(request);
      await this.repository.markSent(request, portalRef);
      this.logger.log({ ...log, portalRef }, 'Portal request forwarded');
      return 'sent';
    } catch (error) {
      const message = (error as Error).message;
      const last = isLastAttempt(job);
      if (error instanceof PermanentError || last) {
        await this.repository.markFailed(request, message);
        this.logger.warn({ ...log, error: message }, 'Portal request failed');
        throw new UnrecoverableError(message);
      }
      await this.repository.recordAttempt(request.id, message).catch(() => undefined);
      this.logger.warn({ ...log, error: message }, 'Portal request attempt failed; will retry');
      throw error;
    }
  }

  private async forward(request: {
    kind: string;
    portalCode: string;
    dispatchId: string;
    reason: string | null;
    correlationId: string;
  }): Promise<string | null> {
    const { config, adapter } = this.portals.get(request.portalCode);
    const dispatch = await this.repository.externalRef(request.dispatchId);
    const ref = dispatch?.externalRef;
    if (!ref)
      throw new PermanentError('the grievance has no reference at this portal', {
        portalMessage: 'no reference',
      });
    const opts = { correlationId: request.correlationId, timeoutMs: config.delivery.timeoutMs };
    if (request.kind === 'appeal') {
      if (!adapter.submitAppeal)
        throw new PermanentError('appeals not supported', { portalMessage: 'not supported' });
      return (await adapter.submitAppeal(ref, request.reason ?? '', opts)).externalRef;
    }
    if (!adapter.sendReminder)
      throw new PermanentError('reminders not supported', { portalMessage: 'not supported' });
    await adapter.sendReminder(ref, opts);
    return null;
  }
}
