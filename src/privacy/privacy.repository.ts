import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';

@Injectable()
export class PrivacyRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Erases the personal data of up to `limit` grievances closed before `cutoff`: the envelope
   * and the mobile lookup go; status, dates, codes and ratings (the statistics) stay.
   */
  eraseClosedBefore(cutoff: Date, limit: number): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE complaints SET complainant_cipher = NULL, mobile_lookup = NULL,
        pii_erased_at = now(), updated_at = now()
      WHERE id IN (
        SELECT id FROM complaints
        WHERE complainant_cipher IS NOT NULL AND closed_at < ${cutoff} AND status = 'CLOSED'
        ORDER BY closed_at LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)`;
  }

  /** Envelopes not written under `currentKeyId` (hex), by id after `afterId`. */
  staleEnvelopes(currentKeyId: string, afterId: string, limit: number) {
    return this.prisma.$queryRaw<{ id: string; cipher: Uint8Array }[]>`
      SELECT id, complainant_cipher AS cipher FROM complaints
      WHERE complainant_cipher IS NOT NULL AND id > ${afterId}::uuid
        AND substring(complainant_cipher FROM 2 FOR 4) <> decode(${currentKeyId}, 'hex')
      ORDER BY id LIMIT ${limit}`;
  }

  /** Writes re-encrypted envelopes, each only if it still holds the one that was read. */
  async replaceEnvelopes(rows: { id: string; before: Uint8Array; after: Buffer }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.prisma.$executeRaw`
      UPDATE complaints c SET complainant_cipher = u.after
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => Buffer.from(r.before))}::bytea[],
                  ${rows.map((r) => r.after)}::bytea[]) AS u(id, before, after)
      WHERE c.id = u.id AND c.complainant_cipher = u.before`;
  }

  staleIdempotencyEnvelopes(currentKeyId: string, afterKey: string, limit: number) {
    return this.prisma.$queryRaw<{ id: string; cipher: Uint8Array }[]>`
      SELECT key AS id, response_cipher AS cipher FROM idempotency_keys
      WHERE key > ${afterKey} AND substring(response_cipher FROM 2 FOR 4) <> decode(${currentKeyId}, 'hex')
      ORDER BY key LIMIT ${limit}`;
  }

  async replaceIdempotencyEnvelopes(rows: { id: string; before: Uint8Array; after: Buffer }[]) {
    if (rows.length === 0) return;
    await this.prisma.$executeRaw`
      UPDATE idempotency_keys k SET response_cipher = u.after
      FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => Buffer.from(r.before))}::bytea[],
                  ${rows.map((r) => r.after)}::bytea[]) AS u(id, before, after)
      WHERE k.key = u.id AND k.response_cipher = u.before`;
  }
}
