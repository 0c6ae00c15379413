import { Injectable } from '@nestjs/common';
import { ConflictError, DomainError, NotFoundError } from '../platform/errors/domain-error';
import { PortalRegistry } from '../portals/portal-registry.service';
import { SlaService } from '../sla/sla.service';
import {
  appealVerdict,
  feedbackVerdict,
  REMINDER_INTERVAL_MS,
  reminderVerdict,
  type Verdict,
} from './citizen-actions.rules';
import { CitizenActionsRepository, type CitizenUnit } from './citizen-actions.repository';
import { provesOwnership, type CitizenProof } from './citizen-proof';
import type {
  AppealDto,
  AppealResultDto,
  FeedbackDto,
  FeedbackResultDto,
  ReminderResultDto,
} from './dto/citizen-actions.dto';

/**
 * Feedback, appeal and reminders. Each runs in one transaction under the grievance's row lock;
 * what goes to a portal is stored as a portal request and forwarded by a worker (no Redis and
 * no portal call on the HTTP path).
 */
@Injectable()
export class CitizenActionsService {
  constructor(
    private readonly repository: CitizenActionsRepository,
    private readonly portals: PortalRegistry,
    private readonly sla: SlaService,
  ) {}

  feedback(trackingId: string, proof: CitizenProof, dto: FeedbackDto): Promise<FeedbackResultDto> {
    return this.locked(trackingId, proof, async (unit) => {
      check(feedbackVerdict(unit.complaint));
      const status = await unit.saveFeedback(dto.rating, dto.comment ?? null, new Date());
      return { trackingId, rating: dto.rating, status };
    });
  }

  appeal(
    trackingId: string,
    proof: CitizenProof,
    dto: AppealDto,
    correlationId: string,
  ): Promise<AppealResultDto> {
    return this.locked(trackingId, proof, async (unit) => {
      const c = unit.complaint;
      const now = new Date();
      // From the outcome being appealed: after a reopening, the later resolution.
      const closedAt = (await unit.latestOutcomeAt()) ?? c.resolvedAt ?? c.closedAt;
      const windowEnds = closedAt
        ? this.sla.appealWindowEndsAt(c.primaryPortalCode, c.category, closedAt)
        : null;
      check(appealVerdict(c, windowEnds, now));
      const dispatch = await this.atPortal(unit, 'appeal');
      const appealDueAt = this.sla.appealDueAt(dispatch.portalCode, c.category, now);
      await unit.recordAppeal(
        {
          dispatchId: dispatch.id,
          portalCode: dispatch.portalCode,
          reason: dto.reason,
          correlationId,
        },
        appealDueAt,
        now,
      );
      return { trackingId, status: 'APPEALED', appealDueAt: appealDueAt.toISOString() };
    });
  }

  reminder(
    trackingId: string,
    proof: CitizenProof,
    correlationId: string,
  ): Promise<ReminderResultDto> {
    return this.locked(trackingId, proof, async (unit) => {
      const now = new Date();
      const verdict = reminderVerdict(unit.complaint, await unit.lastReminderAt(), now);
      if (!verdict.ok && verdict.retryAfterSeconds !== undefined) {
        throw new DomainError(verdict.code, 429, 'Too Many Requests', verdict.detail, {
          headers: { 'Retry-After': String(verdict.retryAfterSeconds) },
        });
      }
      check(verdict);
      const dispatch = await this.atPortal(unit, 'reminder');
      await unit.addReminder(
        { dispatchId: dispatch.id, portalCode: dispatch.portalCode, correlationId },
        now,
      );
      return {
        trackingId,
        acceptedAt: now.toISOString(),
        nextReminderAllowedAt: new Date(now.getTime() + REMINDER_INTERVAL_MS).toISOString(),
      };
    });
  }

  private async locked<T>(
    trackingId: string,
    proof: CitizenProof,
    work: (unit: CitizenUnit) => Promise<T>,
  ): Promise<T> {
    const result = await this.repository.withLocked(trackingId, async (unit) => {
      // Unknown id and wrong token (or another mobile's session) are indistinguishable on purpose.
      if (!provesOwnership(proof, unit.complaint)) return null;
      return { value: await work(unit) };
    });
    if (!result) throw new NotFoundError('Complaint');
    return result.value;
  }

  private async atPortal(unit: CitizenUnit, kind: 'appeal' | 'reminder') {
    const dispatch = await unit.primaryDispatch();
    if (!dispatch?.externalRef) {
      throw new ConflictError(
        'not-at-portal',
        'The grievance has not been registered at a portal yet.',
      );
    }
    const { adapter } = this.portals.get(dispatch.portalCode);
    const supported = kind === 'appeal' ? adapter.submitAppeal : adapter.sendReminder;
    if (!supported) {
      throw new ConflictError(
        `${kind}-not-supported`,
        `${dispatch.portalCode} does not accept ${kind}s through the hub.`,
      );
    }
    return dispatch;
  }
}

function check(verdict: Verdict): void {
  if (!verdict.ok) throw new ConflictError(verdict.code, verdict.detail);
}
