import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { BrokenCircuitError } from 'cockatiel';
import {
  PermanentError,
  RetryableError,
  type OutboundGrievance,
  type SubmitResult,
} from '../../adapters/adapter';
import { PiiCipher } from '../platform/crypto/pii-cipher';
import { HubMetrics } from '../platform/metrics/metrics.service';
import type { DispatchJobData } from '../platform/queue/queue-names';
import { PortalRegistry } from '../portals/portal-registry.service';
import { SlaService } from '../sla/sla.service';
import { CircuitBreakers } from './circuit-breakers';
import {
  DispatchRepository,
  ExternalRefTakenError,
  type DeliverableDispatch,
} from './dispatch.repository';
import { isLastAttempt } from '../platform/queue/attempts';
import type { SealedComplainant } from '../complaints/complainant';

/** Delivers one dispatch to its portal. Idempotent: safe to run again for the same job. */
@Injectable()
export class DispatchProcessor {
  private readonly logger = new Logger(DispatchProcessor.name);

  constructor(
    private readonly repository: DispatchRepository,
    private readonly portals: PortalRegistry,
    private readonly breakers: CircuitBreakers,
    private readonly pii: PiiCipher,
    private readonly sla: SlaService,
    private readonly metrics: HubMetrics,
  ) {}

  async process(job: Job<DispatchJobData>, worker: Worker): Promise<string> {
    const { dispatchId, correlationId } = job.data;
    const dispatch = await this.repository.findForDelivery(dispatchId);
    if (!dispatch || dispatch.status !== 'PENDING') return 'already-settled';

    const { config, adapter } = this.portals.get(dispatch.portalCode);
    const opts = { correlationId, timeoutMs: config.delivery.timeoutMs };
    const log = {
      dispatchId,
      portal: dispatch.portalCode,
      jobId: job.id,
      correlationId,
      attempt: job.attemptsMade + 1,
    };
    try {
      const result = await this.breakers
        .for(config.code, config.delivery.circuit)
        .execute(async () => {
          // A previous attempt may have reached the portal (timeout after send, crash): ask first.
          if (dispatch.inFlightSince && adapter.lookup) {
            const found = await adapter.lookup(dispatch.id, opts);
            if (found) return found;
          } else if (dispatch.inFlightSince) {
            // The portal cannot be asked (lookup: none): at-least-once, and staff are told.
            await this.repository.flagPossibleDuplicate(dispatch.id);
          }
          await this.repository.markInFlight(dispatch.id);
          return adapter.submit(this.outbound(dispatch), opts);
        });
      await this.delivered(dispatch, result);
      this.logger.log({ ...log, externalRef: result.externalRef }, 'Dispatch delivered');
      this.metrics.deliveries.inc({ portal: dispatch.portalCode, outcome: 'delivered' });
      return 'delivered';
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        // The portal is known to be down: park the whole portal queue, keep the attempt.
        await worker.rateLimit(config.delivery.circuit.openMs);
        throw Worker.RateLimitError();
      }
      return this.failed(dispatch, job, error as Error, log);
    }
  }

  private async delivered(dispatch: DeliverableDispatch, result: SubmitResult): Promise<void> {
    const deliveredAt = new Date();
    // The deadline if this delivery starts the clock; the statement keeps one already running.
    const slaDueAt = this.sla.dueAt(dispatch.portalCode, dispatch.complaint.category, deliveredAt);
    await this.repository.markDelivered({
      dispatch,
      externalRef: result.externalRef,
      deliveredAt,
      slaDueAt,
    });
  }

  private async failed(
    dispatch: DeliverableDispatch,
    job: Job<DispatchJobData>,
    error: Error,
    log: Record<string, unknown>,
  ): Promise<never> {
    const lastAttempt = isLastAttempt(job);
    if (error instanceof PermanentError || error instanceof ExternalRefTakenError) {
      const reason =
        error instanceof PermanentError
          ? `${dispatch.portalCode} refused the grievance: ${error.details.portalMessage}`
          : error.message;
      await this.repository.markFailed(dispatch, reason);
      this.metrics.deliveries.inc({ portal: dispatch.portalCode, outcome: 'failed' });
      this.logger.warn({ ...log, reason }, 'Dispatch failed permanently');
      throw new UnrecoverableError(reason);
    }
    const retryable = error instanceof RetryableError;
    const message = retryable ? error.message : `${error.name}: ${error.message}`;
    if (lastAttempt) {
      const reason = `gave up after ${job.attemptsMade + 1} attempts; last error: ${message}`;
      await this.repository.markFailed(dispatch, reason);
      this.metrics.deliveries.inc({ portal: dispatch.portalCode, outcome: 'failed' });
      this.logger.warn({ ...log, reason }, 'Dispatch attempts exhausted');
      throw new UnrecoverableError(reason);
    }
    await this.repository
      .recordAttemptError(dispatch.id, message, !retryable || error.details.ambiguous)
      .catch(() => undefined); // the database may be what failed; the retry will find out
    this.logger.warn({ ...log, error: message }, 'Dispatch attempt failed; will retry');
    this.metrics.deliveries.inc({ portal: dispatch.portalCode, outcome: 'retry' });
    throw error;
  }

  private outbound(dispatch: DeliverableDispatch): OutboundGrievance {
    const c = dispatch.complaint;
    if (!c.complainantCipher)
      throw new PermanentError('personal data erased', { portalMessage: 'personal data erased' });
    const person = this.pii.decrypt<SealedComplainant>(c.complainantCipher);
    return {
      clientRef: dispatch.id,
      trackingId: c.trackingId,
      subject: c.subject,
      description: c.description,
      category: c.category,
      ministryCode: c.ministryCode,
      location: {
        stateCode: c.stateCode,
        districtCode: c.districtCode,
        pincode: c.pincode,
        address: person.address,
      },
      complainant: {
        name: person.name,
        mobile: person.mobile,
        email: person.email,
        language: c.language,
      },
      lodgedAt: c.createdAt.toISOString(),
    };
  }
}
