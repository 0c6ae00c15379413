import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';

// Waiting events whose reference a dispatch now holds go to inbound_events (a delivery recorded
// the reference in the moment between the poll's lookup and its insert, so MARK_DELIVERED did not
// see them). Expired ones too: an event is applied whenever its reference turns up.
const RELEASE = `
  WITH released AS (
    DELETE FROM waiting_status_events w USING dispatches d, complaints c
    WHERE d.portal_code = w.portal_code AND d.external_ref = w.external_ref
      AND c.id = d.complaint_id AND w.occurred_at >= c.created_at
    RETURNING w.*, d.id AS dispatch_id, d.complaint_id
  ), stored AS (
    INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id,
      complaint_id, native_status, status, occurred_at, remarks, transferred_to, via, raw,
      correlation_id)
    SELECT gen_random_uuid(), portal_code, event_id, external_ref, dispatch_id, complaint_id,
           native_status, status, occurred_at, remarks, transferred_to, via, raw, correlation_id
    FROM released
    ON CONFLICT (portal_code, event_id) DO NOTHING
  )
  SELECT portal_code AS "portalCode", count(*)::int AS count FROM released GROUP BY portal_code`;

const EXPIRE = `
  UPDATE waiting_status_events SET expired_at = $1
  WHERE expired_at IS NULL AND received_at < $2
  RETURNING portal_code AS "portalCode", event_id AS "eventId", external_ref AS "externalRef"`;

export interface ExpiredEvent {
  portalCode: string;
  eventId: string;
  externalRef: string;
}

@Injectable()
export class WaitingEventsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Moves waiting events whose reference is known now to inbound_events; counts per portal. */
  async release(): Promise<{ portalCode: string; count: number }[]> {
    return (await this.prisma.sql<{ portalCode: string; count: number }>(RELEASE, [])).rows;
  }

  /** Marks events received before `cutoff` as expired (kept, still applied if the reference comes). */
  async expire(now: Date, cutoff: Date): Promise<ExpiredEvent[]> {
    return (await this.prisma.sql<ExpiredEvent>(EXPIRE, [now, cutoff])).rows;
  }

  /** Forgets events expired before `cutoff`. */
  async purge(cutoff: Date): Promise<number> {
    const { count } = await this.prisma.waitingStatusEvent.deleteMany({
      where: { expiredAt: { lt: cutoff } },
    });
    return count;
  }
}
