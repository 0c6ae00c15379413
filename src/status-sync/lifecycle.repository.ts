import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';

@Injectable()
export class LifecycleRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * RESOLVED/REJECTED since before `cutoff` and no feedback → CLOSED, with a timeline entry.
   * Batched and SKIP LOCKED so it never waits on the status processor. Returns how many closed.
   */
  async autoClose(cutoff: Date, remarks: string, limit = 1_000): Promise<number> {
    return this.prisma.$executeRaw`
      WITH due AS (
        SELECT id FROM complaints
        WHERE status IN ('RESOLVED', 'REJECTED') AND feedback_at IS NULL
          AND COALESCE(status_at, resolved_at, updated_at) < ${cutoff}
        ORDER BY status_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
      ), closed AS (
        UPDATE complaints c SET status = 'CLOSED', status_from = c.status, closed_at = now(),
               status_at = now(), updated_at = now()
        FROM due WHERE c.id = due.id
        RETURNING c.id, c.primary_portal_code
      )
      INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
      SELECT gen_random_uuid(), id, 'CLOSED', 'hub', primary_portal_code, ${remarks}, now()
      FROM closed`;
  }
}
