import { Injectable } from '@nestjs/common';
import { NIL_UUID, type KeysetPosition } from '../platform/database/keyset';
import { LifecycleRepository } from '../lifecycle/lifecycle.repository';
import { PrismaService } from '../platform/database/prisma.service';
import { openPastDue } from './open-past-due';

export interface SlaCandidate {
  id: string;
  status: string;
  portalCode: string;
  category: string;
  deliveredAt: Date;
  slaDueAt: Date;
  /** The primary dispatch delivered at the portal, to which a reminder goes; null: none. */
  dispatchId: string | null;
  done: string[];
}

/** The level recorded when an appeal outlives its own deadline (30 days for CPGRAMS). */
export const APPEAL_BREACH = 'appeal-breach';
/** Portal-request kind of an SLA reminder; kept apart from citizens' own `reminder`s. */
export const SLA_REMINDER = 'sla-reminder';

export interface OverdueAppeal {
  id: string;
  portalCode: string;
  appealDueAt: Date;
  dispatchId: string | null;
}

/** What happens to the portal reminder of a level, decided when the level is claimed. */
export type ReminderPlan =
  | { outcome: 'queued'; dispatchId: string; correlationId: string }
  | { outcome: 'unsupported' | 'none: no portal reference' | 'none: portal not configured' };

export interface LevelAction {
  complaintId: string;
  level: string;
  final: boolean;
  portalCode: string;
  /** Written to the timeline (source 'sla'), the complaint's status unchanged; null: none. */
  timelineRemarks: string | null;
  reminder: ReminderPlan;
}

@Injectable()
export class SlaActionsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly lifecycle: LifecycleRepository,
  ) {}

  /**
   * Open, delivered grievances whose deadline is before `horizon`, not yet through their final
   * level, in deadline order after `after` (keyset over complaints_open_due_idx).
   */
  candidates(horizon: Date, after: KeysetPosition | null, limit: number) {
    const afterDue = after?.at ?? new Date(0);
    const afterId = after?.id ?? NIL_UUID;
    return this.prisma.$queryRaw<SlaCandidate[]>`
      SELECT c.id, c.status::text AS status, c.primary_portal_code AS "portalCode", c.category,
        c.delivered_at AS "deliveredAt", c.sla_due_at AS "slaDueAt", d.id AS "dispatchId",
        coalesce((SELECT array_agg(level) FROM sla_actions a WHERE a.complaint_id = c.id), '{}') AS done
      FROM complaints c
      LEFT JOIN LATERAL (SELECT id FROM dispatches
                         WHERE complaint_id = c.id AND "primary" AND status = 'DELIVERED'
                           AND external_ref IS NOT NULL
                         ORDER BY delivered_at DESC LIMIT 1) d ON true
      WHERE ${openPastDue('c', horizon)}
        AND c.delivered_at IS NOT NULL
        AND (c.sla_due_at, c.id) > (${afterDue}, ${afterId}::uuid)
        AND NOT EXISTS (SELECT 1 FROM sla_actions f WHERE f.complaint_id = c.id AND f.final)
      ORDER BY c.sla_due_at, c.id
      LIMIT ${limit}`;
  }

  /** Appealed grievances the appellate level has not decided by their appeal deadline. */
  overdueAppeals(now: Date, limit: number) {
    return this.prisma.$queryRaw<OverdueAppeal[]>`
      SELECT c.id, c.primary_portal_code AS "portalCode", c.appeal_due_at AS "appealDueAt",
        (SELECT id FROM dispatches WHERE complaint_id = c.id AND "primary"
         AND status = 'DELIVERED' AND external_ref IS NOT NULL
         ORDER BY delivered_at DESC LIMIT 1) AS "dispatchId"
      FROM complaints c
      WHERE c.status = 'APPEALED' AND c.appeal_due_at < ${now}
        AND NOT EXISTS (SELECT 1 FROM sla_actions a
                        WHERE a.complaint_id = c.id AND a.level = ${APPEAL_BREACH})
      ORDER BY c.appeal_due_at
      LIMIT ${limit}`;
  }

  /**
   * Claims a level for a grievance (once, ever) and, in the same transaction, writes its
   * timeline entry and queues its portal reminder (a portal request the relay forwards with
   * retries): a crash can lose neither. False when another run claimed it first.
   */
  async claim(a: LevelAction): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO sla_actions (complaint_id, level, final, portal_code, reminder)
        VALUES (${a.complaintId}::uuid, ${a.level}, ${a.final}, ${a.portalCode}, ${a.reminder.outcome})
        ON CONFLICT DO NOTHING`;
      if (inserted === 0) return false;
      if (a.reminder.outcome === 'queued') {
        await tx.$executeRaw`
          WITH request AS (
            INSERT INTO portal_requests (id, complaint_id, dispatch_id, portal_code, kind, correlation_id)
            VALUES (gen_random_uuid(), ${a.complaintId}::uuid, ${a.reminder.dispatchId}::uuid,
                    ${a.portalCode}, ${SLA_REMINDER}, ${a.reminder.correlationId})
            RETURNING id, created_at)
          UPDATE sla_actions
          SET portal_request_id = request.id, portal_request_created_at = request.created_at
          FROM request
          WHERE complaint_id = ${a.complaintId}::uuid AND level = ${a.level}`;
      }
      if (a.timelineRemarks) {
        await this.lifecycle.notedAtCurrentStatus(tx, {
          complaintId: a.complaintId,
          source: 'sla',
          portalCode: a.portalCode,
          remarks: a.timelineRemarks,
        });
      }
      return true;
    });
  }
}
