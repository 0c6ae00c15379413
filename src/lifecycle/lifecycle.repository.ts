import { Injectable } from '@nestjs/common';
import type { ClientBase } from 'pg';
import type { CanonicalStatus } from '../../adapters/adapter';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../platform/database/prisma.service';
import { AUTO_CLOSE, ROUTE_QUEUED_DISPATCHES } from './lifecycle.sql';
import { sqlGuard, STEPS } from './lifecycle.steps';

type Tx = Prisma.TransactionClient;

const guard = (column: string, step: (typeof STEPS)[keyof typeof STEPS]) =>
  Prisma.raw(sqlGuard(column, step));

/** The grievance as its holder locked it (citizen actions). */
export interface LockedStatus {
  id: string;
  status: CanonicalStatus;
  primaryPortalCode: string;
}

/**
 * The one writer of a grievance's status, its timeline and the citizen notification of a change
 * (docs/architecture.md#modules). Methods taking `tx` run in the caller's transaction, beside the
 * caller's own writes (a dispatch settled, a request sent); the caller holds whatever lock the
 * step needs. Writes that ride in another module's single statement are in lifecycle.sql.ts, which
 * also says why the hub's own steps leave `status_at`.
 */
@Injectable()
export class LifecycleRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * RESOLVED/REJECTED since before `cutoff` and no feedback → CLOSED, with a timeline entry.
   * Batched and SKIP LOCKED so it never waits on the status processor. Returns how many closed.
   */
  async autoClose(cutoff: Date, remarks: string, limit = 1_000): Promise<number> {
    const { rowCount } = await this.prisma.sql(AUTO_CLOSE, [cutoff, remarks, limit]);
    return rowCount ?? 0;
  }

  /**
   * The relay queued these dispatches: their grievances, if primary and RECEIVED, are ROUTED. On
   * the relay's own connection (`tx`: its claim's transaction, platform/queue/row-relay).
   */
  async routed(tx: ClientBase, dispatchIds: string[]): Promise<void> {
    await tx.query(ROUTE_QUEUED_DISPATCHES, [dispatchIds]);
  }

  /** Staff retried the grievance's failed primary delivery: DISPATCH_FAILED → ROUTED. */
  async retried(tx: Tx, r: { complaintId: string; portalCode: string; actor: string }) {
    await tx.$executeRaw`
      WITH moved AS (
        UPDATE complaints c SET status = 'ROUTED', status_from = c.status, updated_at = now()
        WHERE c.id = ${r.complaintId}::uuid AND ${guard('c.status', STEPS.retry)} RETURNING c.id)
      INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
      SELECT gen_random_uuid(), id, 'ROUTED', 'staff', ${r.portalCode},
        ${`Delivery to ${r.portalCode} retried by staff (${r.actor})`}, now()
      FROM moved`;
  }

  /** The grievance's primary delivery failed for good. */
  async dispatchFailed(
    tx: Tx,
    f: { complaintId: string; portalCode: string; reason: string; failedAt: Date },
  ): Promise<void> {
    await tx.$executeRaw`
      WITH moved AS (
        UPDATE complaints c SET status = 'DISPATCH_FAILED', status_from = c.status, updated_at = now()
        WHERE c.id = ${f.complaintId}::uuid AND ${guard('c.status', STEPS.fail)} RETURNING c.id)
      INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
      SELECT gen_random_uuid(), id, 'DISPATCH_FAILED', 'hub', ${f.portalCode},
        ${`Delivery to ${f.portalCode} failed: ${f.reason}`}, ${f.failedAt}
      FROM moved`;
  }

  /** The citizen's feedback closes a resolved or rejected grievance (checked by the caller). */
  async closedOnFeedback(tx: Tx, c: LockedStatus, now: Date): Promise<void> {
    await tx.complaint.update({
      where: { id: c.id },
      data: { status: 'CLOSED', closedAt: now, statusAt: now, statusFrom: c.status },
    });
    await this.citizenEntry(tx, c, 'CLOSED', 'Closed after the citizen gave feedback', now);
  }

  /** The citizen appealed (checked by the caller). */
  async appealed(
    tx: Tx,
    c: LockedStatus,
    appeal: { appealDueAt: Date; portalCode: string },
    now: Date,
  ): Promise<void> {
    const { appealDueAt, portalCode } = appeal;
    await tx.complaint.update({
      where: { id: c.id },
      data: {
        status: 'APPEALED',
        appealedAt: now,
        appealDueAt,
        statusAt: now,
        statusFrom: c.status,
      },
    });
    await this.citizenEntry(
      tx,
      c,
      'APPEALED',
      `Appeal lodged for the appellate authority of ${portalCode}`,
      now,
    );
  }

  /** A timeline entry that changes no status (an appeal forwarded, or not, to the portal). */
  async noted(
    tx: Tx,
    e: {
      complaintId: string;
      status: CanonicalStatus;
      source: string;
      portalCode: string;
      remarks: string;
      occurredAt: Date;
    },
  ): Promise<void> {
    await tx.statusEvent.create({ data: e });
  }

  /** A timeline entry at the grievance's current status (an SLA level reached). */
  async notedAtCurrentStatus(
    tx: Tx,
    e: { complaintId: string; source: string; portalCode: string; remarks: string },
  ): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
      SELECT gen_random_uuid(), id, status, ${e.source}, ${e.portalCode}, ${e.remarks}, now()
      FROM complaints WHERE id = ${e.complaintId}::uuid`;
  }

  private async citizenEntry(
    tx: Tx,
    c: LockedStatus,
    status: CanonicalStatus,
    remarks: string,
    at: Date,
  ): Promise<void> {
    await tx.statusEvent.create({
      data: {
        complaintId: c.id,
        status,
        source: 'citizen',
        portalCode: c.primaryPortalCode,
        remarks,
        occurredAt: at,
      },
    });
  }
}
