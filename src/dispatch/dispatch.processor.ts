import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { BrokenCircuitError } from 'cockatiel';
import {
  isTokenResult,
  PermanentError,
  RetryableError,
  type CallOptions,
  type OutboundGrievance,
  type PortalAdapter,
  type SubmitOutcome,
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
import { isLastAttempt } from '../platform/queue/retry-policy';
import type { SealedComplainant } from '../complaints/complainant';

/**
 * How long after sending its claim an attempt may still submit without asking again. Another
 * worker can take the job over only once its lock (30 s, renewed every 15 s) has run out, so an
 * attempt that reaches the submit within 5 s of claiming cannot have been overtaken; one that took
 * longer (frozen: a long GC pause, a VM freeze) checks in the database that its claim holds.
 */
export const CLAIM_LEASE_MS = 5_000;
const CLAIM_CHECKS = 3;

/** Allowance for the clocks of the worker and the database, and for the request's way out. */
const LEASE_MARGIN_MS = 2_000;

/**
 * How long a claim keeps every other attempt off the dispatch: the lease within which its holder
 * sends the submit, the submit's own timeout, and a margin. Once it has run out, the holder's
 * submit has been answered or given up, so an attempt that asks the portal then sees it.
 */
export function claimLeaseMs(submitTimeoutMs: number): number {
  return CLAIM_LEASE_MS + submitTimeoutMs + LEASE_MARGIN_MS;
}

/**
 * What the portal call came to: an answer got under `claim`, another attempt owns the dispatch,
 * the claim answered too late to trust, or another attempt's claim lease still runs.
 */
type Attempt =
  { result: SubmitResult; claim: number } | 'superseded' | 'slow' | { leaseLeftMs: number };

/**
 * Another attempt claimed the dispatch and its lease still runs: it may be submitting right now
 * (its job passed to this worker when its lock ran out: a freeze, a Redis failover). This attempt
 * neither asks the portal nor submits; it tries again once the lease has run out, by when the
 * other attempt has recorded its answer or its submit, if any, has reached the portal.
 */
export class ClaimLeaseHeldError extends RetryableError {
  constructor(portalCode: string, leaseLeftMs: number) {
    super(
      `another attempt holds this dispatch to ${portalCode} for ${leaseLeftMs} ms more (it may be submitting); trying again after that`,
      { ambiguous: false, retryAfterMs: leaseLeftMs + 1 },
    );
  }
}

/**
 * An asynchronous portal has the grievance under a token but no reference yet: not a failure of
 * the portal, the attempt is retried on the delivery's schedule until the token resolves.
 */
export class TokenPendingError extends RetryableError {
  constructor(portalCode: string) {
    super(`${portalCode} has not yet given the grievance a reference (token pending)`, {
      ambiguous: false,
    });
  }
}

/**
 * Delivers one dispatch to its portal. Idempotent: safe to run again for the same job, and
 * fenced: an attempt whose job passed to another worker (its lock expired while it was paused)
 * neither submits nor records anything once the other attempt has claimed the dispatch.
 */
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

  /** `token`: the job's lock, with which a deferred attempt moves its own job (see leaseHeld). */
  async process(job: Job<DispatchJobData>, worker: Worker, token?: string): Promise<string> {
    const { dispatchId, correlationId } = job.data;
    const dispatch = await this.repository.findForDelivery(dispatchId);
    if (!dispatch || dispatch.status !== 'PENDING') return 'already-settled';

    const { config, adapter } = this.portals.get(dispatch.portalCode);
    const opts = { correlationId, timeoutMs: config.delivery.timeoutMs };
    const leaseMs = claimLeaseMs(config.delivery.timeoutMs);
    const log = {
      dispatchId,
      portal: dispatch.portalCode,
      jobId: job.id,
      correlationId,
      attempt: job.attemptsMade + 1,
    };
    // Another attempt's lease: asking the portal now could miss the submit it is making.
    if (dispatch.leaseLeftMs > 0)
      return this.leaseHeld(dispatch, dispatch.leaseLeftMs, { job, token }, log);
    let claim = dispatch.claim;
    // Whether this attempt claimed the dispatch (and so holds its lease).
    let leaseHolder = false;
    // Whether an earlier attempt's submit may have reached the portal and this attempt has not
    // found out (its lookup failed): the in-flight mark must then stay for the next attempt.
    let unanswered = false;
    try {
      const attempt: Attempt = await this.breakers
        .for(config.code, config.delivery.circuit)
        .execute(async () => {
          // An asynchronous portal took it under a token: ask for the reference, never resubmit.
          if (dispatch.portalToken)
            return {
              result: await this.resolveToken(adapter, config.code, dispatch.portalToken, opts),
              claim,
            };
          // A previous attempt may have reached the portal (timeout after send, crash): ask first.
          if (dispatch.inFlightSince && adapter.lookup) {
            unanswered = true;
            const found = await adapter.lookup(dispatch.id, opts);
            if (found) return { result: found, claim };
            unanswered = false;
          }
          const grievance = this.outbound(dispatch);
          if (dispatch.inFlightSince && !adapter.lookup) {
            // No lookup (lookup: none): a best-effort search first, where the adapter has one.
            if (adapter.findSubmitted) {
              unanswered = true;
              const found = await adapter.findSubmitted(grievance, opts);
              if (found) return { result: found, claim };
              unanswered = false;
            }
            // Not found, or cannot be asked: at-least-once, and staff are told.
            await this.repository.flagPossibleDuplicate(dispatch.id);
          }
          const claimed = await this.claimForSubmit(dispatch, leaseMs);
          if (claimed === 'superseded' || 'leaseLeftMs' in claimed) return claimed;
          // Slow or not, this attempt holds the claim: what it records next is under it.
          claim = claimed.claim;
          leaseHolder = true;
          if (claimed.slow) return 'slow';
          const answer: SubmitOutcome = await adapter.submit(grievance, opts);
          if (!isTokenResult(answer)) return { result: answer, claim };
          if (!(await this.repository.recordToken(dispatch.id, claim, answer.token)))
            return 'superseded';
          this.logger.log(log, 'Dispatch accepted under a portal token; waiting for its reference');
          return {
            result: await this.resolveToken(adapter, config.code, answer.token, opts),
            claim,
          };
        });
      if (typeof attempt === 'object' && 'leaseLeftMs' in attempt)
        return await this.leaseHeld(dispatch, attempt.leaseLeftMs, { job, token }, log);
      if (attempt === 'slow')
        throw new RetryableError('the claim check answered too late to trust; trying again', {
          ambiguous: true,
        });
      if (attempt === 'superseded' || !(await this.delivered(dispatch, attempt))) {
        this.logger.warn(log, 'Dispatch attempt superseded: another attempt claimed or settled it');
        this.metrics.deliveries.inc({ portal: dispatch.portalCode, outcome: 'superseded' });
        return 'superseded';
      }
      this.logger.log({ ...log, externalRef: attempt.result.externalRef }, 'Dispatch delivered');
      this.metrics.deliveries.inc({ portal: dispatch.portalCode, outcome: 'delivered' });
      return 'delivered';
    } catch (error) {
      // Deferred to the attempt whose lease runs: nothing is written under its claim.
      if (error instanceof ClaimLeaseHeldError || error instanceof DelayedError) throw error;
      if (error instanceof BrokenCircuitError) {
        // The portal is known to be down: park the whole portal queue, keep the attempt.
        await worker.rateLimit(config.delivery.circuit.openMs);
        throw Worker.RateLimitError();
      }
      return this.failed(dispatch, { claim, leaseHolder }, unanswered, job, error as Error, log);
    }
  }

  /**
   * Leaves the dispatch to the attempt whose lease runs, and tries again after it. With the job's
   * lock token the job moves itself to delayed until the lease has run out (BullMQ's
   * `DelayedError`): the deferral spends none of the job's attempts, so a job deferred on its
   * last attempt is not failed. Without the token, or if the move fails, the attempt fails with
   * ClaimLeaseHeldError, retried once the lease has run out (retryAfterMs); if the move failed
   * because this worker lost the job's lock, BullMQ records nothing and the job is the other
   * worker's.
   */
  private async leaseHeld(
    dispatch: DeliverableDispatch,
    leaseLeftMs: number,
    { job, token }: { job: Job<DispatchJobData>; token?: string },
    log: Record<string, unknown>,
  ): Promise<never> {
    this.logger.warn(
      { ...log, leaseLeftMs },
      "Dispatch attempt deferred: another attempt's claim lease still runs",
    );
    this.metrics.deliveries.inc({ portal: dispatch.portalCode, outcome: 'deferred' });
    if (token) {
      const moved = await job.moveToDelayed(Date.now() + leaseLeftMs + 1, token).then(
        () => true,
        (error: Error) => {
          this.logger.warn({ ...log, error: error.message }, 'Could not delay the deferred job');
          return false;
        },
      );
      if (moved) throw new DelayedError();
    }
    throw new ClaimLeaseHeldError(dispatch.portalCode, leaseLeftMs);
  }

  /** The reference for an asynchronous portal's token; TokenPendingError while there is none. */
  private async resolveToken(
    adapter: PortalAdapter,
    portalCode: string,
    token: string,
    opts: CallOptions,
  ): Promise<SubmitResult> {
    if (!adapter.resolveToken)
      throw new PermanentError(
        `${portalCode} answered a token, but its adapter cannot resolve tokens`,
        {
          portalMessage: 'the adapter cannot resolve the portal token',
        },
      );
    const resolved = await adapter.resolveToken(token, opts);
    if (!resolved) throw new TokenPendingError(portalCode);
    return resolved;
  }

  /**
   * Claims the dispatch right before the submit, for a lease of `leaseMs` in the database. If the
   * answer took longer than CLAIM_LEASE_MS (the process may have been frozen while claiming, and
   * the database lease may have run out), it checks the claim again, renewing the lease under a
   * new claim (an attempt that read the dispatch before can then no longer claim it), until an
   * answer comes back in time: the submit is then sent well inside the lease, and an attempt that
   * takes over after the lease has run out finds it at the portal.
   */
  private async claimForSubmit(
    dispatch: DeliverableDispatch,
    leaseMs: number,
  ): Promise<{ claim: number; slow: boolean } | 'superseded' | { leaseLeftMs: number }> {
    let asked = performance.now();
    let claim = await this.repository.markInFlight(dispatch.id, dispatch.claim, leaseMs);
    if (claim === null) return 'superseded';
    if (typeof claim === 'object') return claim;
    for (let check = 0; performance.now() - asked >= CLAIM_LEASE_MS; check++) {
      if (check === CLAIM_CHECKS) return { claim, slow: true };
      asked = performance.now();
      claim = await this.repository.renewClaim(dispatch.id, claim, leaseMs);
      if (claim === null) return 'superseded';
    }
    return { claim, slow: false };
  }

  /** Records the portal's answer; false when another attempt claimed or settled the dispatch. */
  private delivered(
    dispatch: DeliverableDispatch,
    { result, claim }: { result: SubmitResult; claim: number },
  ): Promise<boolean> {
    const deliveredAt = new Date();
    // The deadline if this delivery starts the clock; the statement keeps one already running.
    const slaDueAt = this.sla.dueAt(dispatch.portalCode, dispatch.complaint.category, deliveredAt);
    return this.repository.markDelivered({
      dispatch,
      claim,
      externalRef: result.externalRef,
      deliveredAt,
      slaDueAt,
    });
  }

  private async failed(
    dispatch: DeliverableDispatch,
    { claim, leaseHolder }: { claim: number; leaseHolder: boolean },
    unanswered: boolean,
    job: Job<DispatchJobData>,
    error: Error,
    log: Record<string, unknown>,
  ): Promise<never> {
    const lastAttempt = isLastAttempt(job);
    if (error instanceof PermanentError || error instanceof ExternalRefTakenError) {
      // `unanswered`: the refusal answered the lookup (a SOAP Client fault, a revoked key), not
      // the grievance: the portal may hold it, and a staff retry asks again before submitting.
      const reason =
        error instanceof PermanentError
          ? unanswered
            ? `${dispatch.portalCode} refused to say whether it has the grievance: ${error.details.portalMessage}`
            : `${dispatch.portalCode} refused the grievance: ${error.details.portalMessage}`
          : error.message;
      // A refusal registered nothing; a reference another grievance holds means it did register.
      const registered = error instanceof ExternalRefTakenError || unanswered;
      await this.repository.markFailed(dispatch, claim, reason, registered);
      this.metrics.deliveries.inc({ portal: dispatch.portalCode, outcome: 'failed' });
      this.logger.warn({ ...log, reason }, 'Dispatch failed permanently');
      throw new UnrecoverableError(reason);
    }
    const retryable = error instanceof RetryableError;
    const message = retryable ? error.message : `${error.name}: ${error.message}`;
    if (lastAttempt) {
      const reason = `gave up after ${job.attemptsMade + 1} attempts; last error: ${message}`;
      // The last attempt may have reached the portal (timeout after send): a staff retry must
      // look the grievance up before submitting again, as the next attempt would have.
      const ambiguous = unanswered || !retryable || error.details.ambiguous === true;
      await this.repository.markFailed(dispatch, claim, reason, ambiguous);
      this.metrics.deliveries.inc({ portal: dispatch.portalCode, outcome: 'failed' });
      this.logger.warn({ ...log, reason }, 'Dispatch attempts exhausted');
      throw new UnrecoverableError(reason);
    }
    await this.repository
      .recordAttemptError(dispatch.id, claim, message, {
        stillAmbiguous: unanswered || !retryable || error.details.ambiguous,
        leaseHolder,
      })
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
