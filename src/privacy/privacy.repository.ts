import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';

/** What an erased grievance's subject and description say instead (both are NOT NULL). */
export const ERASED = '[erased]';

/**
 * Erases the personal data of up to $2 grievances closed before $1, in one statement: the
 * envelope and the mobile lookup; the free text anyone wrote about the grievance (subject and
 * description become $3, ERASED; portal and timeline remarks, feedback comment, appeal reason,
 * portal payloads and error messages); and the details of audit entries about it or its
 * dispatches (search terms, unmask reasons). Status, dates, codes and ratings (the statistics)
 * stay. The grievances are found through `complaints_pii_retained_idx` alone, which holds only
 * closed ones still carrying personal data (intake-indexes.int-spec plans this very statement):
 * the status is compared as text, no index condition — with `status = 'CLOSED'` and no statistics
 * PostgreSQL ANDed the status index's whole CLOSED range (every grievance ever closed, erased ones
 * included) with it (decision 0034).
 */
export const ERASE_CLOSED = `
  WITH erased AS (
    UPDATE complaints SET complainant_cipher = NULL, mobile_lookup = NULL, text_key = NULL,
      places = '{?}',
      subject = $3, description = $3, resolution_remarks = NULL,
      feedback_comment = NULL, pii_erased_at = now(), updated_at = now()
    WHERE id IN (
      SELECT id FROM complaints
      WHERE complainant_cipher IS NOT NULL AND closed_at < $1::timestamptz
        AND status::text = 'CLOSED'
      ORDER BY closed_at LIMIT $2::int
      FOR UPDATE SKIP LOCKED)
    RETURNING id, tracking_id
  ), events AS (
    UPDATE status_events SET remarks = NULL
    WHERE complaint_id IN (SELECT id FROM erased) AND remarks IS NOT NULL
  ), requests AS (
    UPDATE portal_requests SET reason = NULL, last_error = NULL
    WHERE complaint_id IN (SELECT id FROM erased)
  ), inbound AS (
    UPDATE inbound_events SET remarks = NULL, raw = '{}'::jsonb
    WHERE complaint_id IN (SELECT id FROM erased)
  ), dispatched AS (
    UPDATE dispatches SET last_error = NULL
    WHERE complaint_id IN (SELECT id FROM erased) AND last_error IS NOT NULL
  ), audited AS (
    UPDATE audit_log
    SET detail = (coalesce(detail, '{}'::jsonb) - 'query' - 'reason')
                 || '{"personalDataErased": true}'::jsonb
    WHERE target IN (SELECT tracking_id FROM erased
                     UNION ALL SELECT d.id::text FROM dispatches d JOIN erased e ON d.complaint_id = e.id)
  )
  SELECT count(*)::int AS erased FROM erased`;

@Injectable()
export class PrivacyRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Erases the personal data of up to `limit` grievances closed before `cutoff` (ERASE_CLOSED).
   */
  async eraseClosedBefore(cutoff: Date, limit: number): Promise<number> {
    const { rows } = await this.prisma.sql<{ erased: number }>(ERASE_CLOSED, [
      cutoff,
      limit,
      ERASED,
    ]);
    return rows[0].erased;
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

  /** Stored responses not written under `currentKeyId`, by the grievance each one created. */
  staleIdempotencyEnvelopes(currentKeyId: string, afterComplaintId: string, limit: number) {
    return this.prisma.$queryRaw<{ id: string; cipher: Uint8Array }[]>`
      SELECT complaint_id AS id, response_cipher AS cipher FROM idempotency_keys
      WHERE complaint_id > ${afterComplaintId}::uuid
        AND substring(response_cipher FROM 2 FOR 4) <> decode(${currentKeyId}, 'hex')
      ORDER BY complaint_id LIMIT ${limit}`;
  }

  async replaceIdempotencyEnvelopes(rows: { id: string; before: Uint8Array; after: Buffer }[]) {
    if (rows.length === 0) return;
    await this.prisma.$executeRaw`
      UPDATE idempotency_keys k SET response_cipher = u.after
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => Buffer.from(r.before))}::bytea[],
                  ${rows.map((r) => r.after)}::bytea[]) AS u(id, before, after)
      WHERE k.complaint_id = u.id AND k.response_cipher = u.before`;
  }

  /** Idempotency records older than `cutoff`: no longer honoured, and they hold access tokens. */
  deleteIdempotencyKeysBefore(cutoff: Date): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM idempotency_keys WHERE created_at < ${cutoff}`;
  }

  /**
   * Citizen sessions and one-time codes past their expiry, and rate counters whose window
   * (at most an hour, src/citizen/otp.rules.ts) ended before `counterCutoff`.
   */
  async deleteExpiredCitizenRows(now: Date, counterCutoff: Date): Promise<number> {
    const [{ deleted }] = await this.prisma.$queryRaw<{ deleted: number }[]>`
      WITH s AS (DELETE FROM citizen_sessions WHERE expires_at <= ${now} RETURNING 1),
        o AS (DELETE FROM citizen_otps WHERE expires_at <= ${now} RETURNING 1),
        r AS (DELETE FROM citizen_rate_counters WHERE window_start < ${counterCutoff} RETURNING 1)
      SELECT ((SELECT count(*) FROM s) + (SELECT count(*) FROM o) + (SELECT count(*) FROM r))::int
        AS deleted`;
    return deleted;
  }
}
