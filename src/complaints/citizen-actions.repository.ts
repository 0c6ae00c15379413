import { Injectable } from '@nestjs/common';
import type { CanonicalStatus } from '../../adapters/adapter';
import type { Prisma } from '../generated/prisma/client';
import { LifecycleRepository } from '../lifecycle/lifecycle.repository';
import { PrismaService } from '../platform/database/prisma.service';

type Tx = Prisma.TransactionClient;

export interface CitizenComplaint {
  id: string;
  trackingId: string;
  accessTokenHash: string;
  mobileLookup: string | null;
  status: CanonicalStatus;
  category: string;
  primaryPortalCode: string;
  resolvedAt: Date | null;
  closedAt: Date | null;
  feedbackAt: Date | null;
  appealedAt: Date | null;
}

/** Writes of the citizen's own actions, under the grievance's row lock. */
export class CitizenUnit {
  constructor(
    private readonly tx: Tx,
    private readonly lifecycle: LifecycleRepository,
    readonly complaint: CitizenComplaint,
  ) {}

  primaryDispatch() {
    return this.tx.dispatch.findFirst({
      where: { complaintId: this.complaint.id, primary: true },
      select: { id: true, portalCode: true, externalRef: true },
    });
  }

  /**
   * When the outcome the citizen sees was reached: the latest resolution or rejection on the
   * timeline. resolved_at keeps the first one (the redressal clock), which a portal may have
   * reopened since.
   */
  async latestOutcomeAt(): Promise<Date | null> {
    const last = await this.tx.statusEvent.findFirst({
      where: { complaintId: this.complaint.id, status: { in: ['RESOLVED', 'REJECTED'] } },
      orderBy: { occurredAt: 'desc' },
      select: { occurredAt: true },
    });
    return last?.occurredAt ?? null;
  }

  async lastReminderAt(): Promise<Date | null> {
    const last = await this.tx.portalRequest.findFirst({
      where: { complaintId: this.complaint.id, kind: 'reminder' },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    });
    return last?.createdAt ?? null;
  }

  /** Feedback closes a resolved or rejected grievance: the citizen has seen the outcome. */
  async saveFeedback(rating: number, comment: string | null, now: Date): Promise<CanonicalStatus> {
    const closes = this.complaint.status !== 'CLOSED';
    await this.tx.complaint.update({
      where: { id: this.complaint.id },
      data: { feedbackRating: rating, feedbackComment: comment, feedbackAt: now },
    });
    if (closes) await this.lifecycle.closedOnFeedback(this.tx, this.complaint, now);
    return 'CLOSED';
  }

  async recordAppeal(
    request: { dispatchId: string; portalCode: string; reason: string; correlationId: string },
    appealDueAt: Date,
    now: Date,
  ): Promise<void> {
    await this.lifecycle.appealed(
      this.tx,
      this.complaint,
      { appealDueAt, portalCode: request.portalCode },
      now,
    );
    await this.tx.portalRequest.create({
      data: { complaintId: this.complaint.id, kind: 'appeal', ...request, createdAt: now },
    });
  }

  async addReminder(
    request: { dispatchId: string; portalCode: string; correlationId: string },
    now: Date,
  ): Promise<void> {
    await this.tx.portalRequest.create({
      data: { complaintId: this.complaint.id, kind: 'reminder', ...request, createdAt: now },
    });
  }
}

@Injectable()
export class CitizenActionsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly lifecycle: LifecycleRepository,
  ) {}

  /** Runs `work` holding the grievance's row lock; null when the tracking id is unknown. */
  withLocked<T>(trackingId: string, work: (unit: CitizenUnit) => Promise<T>): Promise<T | null> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<CitizenComplaint[]>`
        SELECT id, tracking_id AS "trackingId", access_token_hash AS "accessTokenHash",
               mobile_lookup AS "mobileLookup",
               status::text AS status, category, primary_portal_code AS "primaryPortalCode",
               resolved_at AS "resolvedAt", closed_at AS "closedAt",
               feedback_at AS "feedbackAt", appealed_at AS "appealedAt"
        FROM complaints WHERE tracking_id = ${trackingId} FOR UPDATE`;
      return rows.length === 0 ? null : work(new CitizenUnit(tx, this.lifecycle, rows[0]));
    });
  }
}
