import { randomUUID } from 'node:crypto';
import type { PrismaService } from '../../src/platform/database/prisma.service';

/**
 * Stores a portal status event for a grievance's dispatch, as the webhook or the poller would
 * (unqueued unless `queuedAt`); returns its id.
 */
export async function insertInboundEvent(
  prisma: PrismaService,
  g: { id: string; dispatchId: string },
  e: {
    status: string;
    occurredAt: Date;
    portal?: string;
    queuedAt?: Date | null;
    remarks?: string;
    transferredTo?: string;
  },
): Promise<string> {
  const id = randomUUID();
  await prisma.$executeRaw`
    INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id,
      complaint_id, native_status, status, occurred_at, remarks, transferred_to, via, raw,
      correlation_id, queued_at)
    VALUES (${id}::uuid, ${e.portal ?? 'UP-IGRS'}, ${`medium-${id}`}, 'REF', ${g.dispatchId}::uuid,
      ${g.id}::uuid, ${`native ${e.status}`}, ${e.status}::"ComplaintStatus", ${e.occurredAt},
      ${e.remarks ?? 'Work order issued; the officer visited the site.'}, ${e.transferredTo ?? null}, 'push', '{}'::jsonb, ${`medium-${id}`}, ${e.queuedAt ?? null})`;
  return id;
}
