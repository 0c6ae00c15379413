import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../platform/database/prisma.service';
import { isUniqueViolation } from '../platform/database/unique-violation';

/** A grievance's dispatches and timeline, in the order both the citizen and staff see them. */
export const COMPLAINT_HISTORY = {
  dispatches: { orderBy: { createdAt: 'asc' } },
  statusEvents: { orderBy: [{ occurredAt: 'asc' }, { recordedAt: 'asc' }] },
} satisfies Prisma.ComplaintInclude;

export interface NewComplaint {
  id: string;
  trackingId: string;
  accessTokenHash: string;
  subject: string;
  description: string;
  category: string;
  ministryCode: string | null;
  stateCode: string;
  districtCode: string | null;
  pincode: string;
  language: string;
  complainantCipher: Buffer;
  mobileLookup: string;
  /** Lodged with a session of this mobile (it answered a one-time code). */
  mobileVerified: boolean;
  /** The cluster (other citizens, same problem) it joins; null: none. */
  clusterId: string | null;
  primaryPortalCode: string;
  routingRule: string;
  slaDueAt: Date;
  createdAt: Date;
  dispatches: { id: string; portalCode: string; primary: boolean }[];
  correlationId: string;
}

export interface StoredIdempotentResponse {
  requestHash: string;
  responseStatus: number;
  responseCipher: Uint8Array;
}

export interface IdempotencyRecord {
  caller: string;
  key: string;
  requestHash: string;
  responseStatus: number;
  responseCipher: Buffer;
}

/**
 * The intake statement. Sent on the shared pg pool rather than through Prisma's raw query path,
 * which cost about a quarter of the api's CPU per request (docs/benchmarks.md).
 */
const INSERT_LODGED = `
  WITH text AS (SELECT grievance_text_key($4::text || ' ' || $5::text) AS key
  ), complaint AS (
    INSERT INTO complaints (id, tracking_id, access_token_hash, subject, description, category,
      ministry_code, state_code, district_code, pincode, language, complainant_cipher,
      mobile_lookup, primary_portal_code, routing_rule, sla_due_at, created_at, updated_at,
      mobile_verified, text_key, concepts, cluster_id)
    SELECT $1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17,
      $27::boolean, text.key, grievance_concepts(text.key), $28::uuid
    FROM text
  ), targets AS (
    SELECT * FROM unnest($18::uuid[], $19::text[], $20::boolean[]) AS t(id, portal_code, is_primary)
  ), dispatch AS (
    INSERT INTO dispatches (id, complaint_id, portal_code, "primary", created_at, updated_at)
    SELECT id, $1::uuid, portal_code, is_primary, $17, $17 FROM targets
  ), outbox_row AS (
    INSERT INTO outbox (id, topic, payload, created_at)
    SELECT gen_random_uuid(), 'dispatch.submit',
           jsonb_build_object('dispatchId', id, 'portalCode', portal_code,
                              'correlationId', $21::text),
           $17
    FROM targets
  ), received AS (
    INSERT INTO status_events (id, complaint_id, status, source, occurred_at)
    VALUES (gen_random_uuid(), $1::uuid, 'RECEIVED', 'hub', $17)
  )
  INSERT INTO idempotency_keys (caller, key, request_hash, response_status, response_cipher,
    complaint_id, created_at)
  SELECT $26::text, $22::text, $23::text, $24::int, $25::bytea, $1::uuid, $17
  WHERE $22::text IS NOT NULL`;

@Injectable()
export class ComplaintsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The caller's stored response for `key`, if younger than `ttlMs`. An older one is deleted in
   * the same statement, so the key can be stored again by this request.
   */
  async findIdempotentResponse(
    caller: string,
    key: string,
    ttlMs: number,
  ): Promise<StoredIdempotentResponse | null> {
    const [row] = await this.prisma.$queryRaw<StoredIdempotentResponse[]>`
      WITH expired AS (
        DELETE FROM idempotency_keys WHERE caller = ${caller} AND key = ${key}
          AND created_at <= now() - make_interval(secs => ${ttlMs / 1000}))
      SELECT request_hash AS "requestHash", response_status AS "responseStatus",
        response_cipher AS "responseCipher"
      FROM idempotency_keys WHERE caller = ${caller} AND key = ${key}
        AND created_at > now() - make_interval(secs => ${ttlMs / 1000})`;
    return row ?? null;
  }

  /**
   * The intake transaction: complaint, its dispatches, one outbox row per dispatch, the first
   * timeline entry and the idempotency record commit together or not at all.
   * Returns false when another request committed the same idempotency key first.
   *
   * One statement (data-modifying CTEs), so one round trip and an implicit transaction: the
   * interactive Prisma transaction it replaces cost 6 round trips and most of the api's CPU
   * (docs/benchmarks.md). A taken idempotency key is a unique violation that undoes it all.
   */
  async insertLodged(c: NewComplaint, idempotency: IdempotencyRecord | null): Promise<boolean> {
    try {
      await this.prisma.sql(INSERT_LODGED, [
        c.id,
        c.trackingId,
        c.accessTokenHash,
        c.subject,
        c.description,
        c.category,
        c.ministryCode,
        c.stateCode,
        c.districtCode,
        c.pincode,
        c.language,
        c.complainantCipher,
        c.mobileLookup,
        c.primaryPortalCode,
        c.routingRule,
        c.slaDueAt,
        c.createdAt,
        c.dispatches.map((d) => d.id),
        c.dispatches.map((d) => d.portalCode),
        c.dispatches.map((d) => d.primary),
        c.correlationId,
        idempotency?.key ?? null,
        idempotency?.requestHash ?? null,
        idempotency?.responseStatus ?? null,
        idempotency?.responseCipher ?? null,
        idempotency?.caller ?? null,
        c.mobileVerified,
        c.clusterId,
      ]);
      return true;
    } catch (error) {
      // A concurrent request committed the same Idempotency-Key first.
      if (idempotency && isUniqueViolation(error, 'idempotency_keys_pkey')) return false;
      throw error;
    }
  }

  countClusterOthers(clusterId: string, id: string): Promise<number> {
    return this.prisma.complaint.count({ where: { clusterId, id: { not: id } } });
  }

  findForTracking(trackingId: string) {
    return this.prisma.snapshot((tx) =>
      tx.complaint.findUnique({ where: { trackingId }, include: COMPLAINT_HISTORY }),
    );
  }
}
