import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';
import { releaseWaitingEvents } from './waiting-events.sql';

// Waiting events whose reference a dispatch now holds go to inbound_events (a delivery recorded
// the reference in the moment between the poll's lookup and its insert, so MARK_DELIVERED did not
// see them). Expired ones too: an event is applied whenever its reference turns up, so every
// waiting row is looked at (released ones are gone). `held` looks each waiting row's reference up
// by the dispatches' unique (portal_code, external_ref), usually finding none; joined to the whole
// of dispatches instead, PostgreSQL hashed both tables on every run. The release joins the few
// dispatches found, with the same conditions as a join to dispatches itself.
export const RELEASE = `
  WITH held AS MATERIALIZED (
    SELECT DISTINCT d.id, d.complaint_id, d.portal_code, d.external_ref
    FROM waiting_status_events w
    CROSS JOIN LATERAL (
      SELECT d.id, d.complaint_id, d.portal_code, d.external_ref FROM dispatches d
      WHERE d.portal_code = w.portal_code AND d.external_ref = w.external_ref LIMIT 1) d
  ), ${releaseWaitingEvents('held')}
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
