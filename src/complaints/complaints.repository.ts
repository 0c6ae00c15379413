import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { receivedAtIntake } from '../lifecycle/lifecycle.sql';
import { NamedParams, type ColumnTypes, type RowOf } from '../platform/database/named-params';
import { PrismaService } from '../platform/database/prisma.service';
import {
  intakeCheck,
  intakeCheckValues,
  type IntakeCheck,
  type IntakeVerdict,
} from './repeat-check.repository';
import { isUniqueViolation } from '../platform/database/unique-violation';
import { prepared } from '../platform/database/prepared';

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
  /** Waits for cluster linking after the commit (cluster_links; the repeat check is on). */
  linkCluster: boolean;
  primaryPortalCode: string;
  routingRule: string;
  slaDueAt: Date;
  createdAt: Date;
  dispatches: { id: string; portalCode: string; primary: boolean }[];
  correlationId: string;
  /** How it arrived ('api' | 'open311') and through which partner app, if any. */
  channel: IntakeChannel;
  partnerAppId: string | null;
}

export type IntakeChannel = 'api' | 'open311';

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

const COMPLAINT = {
  id: 'uuid',
  tracking_id: 'text',
  access_token_hash: 'text',
  subject: 'text',
  description: 'text',
  category: 'text',
  ministry_code: 'text',
  state_code: 'text',
  district_code: 'text',
  pincode: 'text',
  language: 'text',
  complainant_cipher: 'bytea',
  mobile_lookup: 'text',
  primary_portal_code: 'text',
  routing_rule: 'text',
  sla_due_at: 'timestamptz',
  created_at: 'timestamptz',
  channel: 'text',
  partner_app_id: 'uuid',
  mobile_verified: 'boolean',
} as const satisfies ColumnTypes;
const DISPATCHES = {
  id: 'uuid',
  portal_code: 'text',
  is_primary: 'boolean',
  correlation_id: 'text',
} as const satisfies ColumnTypes;
/** One row (link the grievance to its cluster after the commit) or none. */
const CLUSTER_LINK = { link: 'boolean' } as const satisfies ColumnTypes;
const IDEMPOTENCY = {
  caller: 'text',
  key: 'text',
  request_hash: 'text',
  response_status: 'int',
  response_cipher: 'bytea',
} as const satisfies ColumnTypes;

/**
 * The intake statement: intake's check (repeat-check.repository: the monthly cap, the mobile's
 * open repeat) and, when it refuses nothing, the grievance, in one round trip. Sent on the shared
 * pg pool rather than through Prisma's raw query path, which cost about a quarter of the api's CPU
 * per request (docs/benchmarks.md); the check was a statement of its own, a second round trip
 * (docs/benchmarks.md#intake-cpu-issue-16). Parameters are named (NamedParams): the grievance is a
 * row (a parameter per column), its dispatches a table, the idempotency record a table of one
 * row or none. Its dispatches, and its cluster link if
 * any, wait for the relay with `queued_at` NULL (platform/queue/row-relay). Answers the check's
 * verdict; nothing is written when it refuses.
 */
const lodged = new NamedParams();
export const INTAKE = prepared(`
  WITH ${intakeCheck(lodged)}, complaint AS (
    INSERT INTO complaints (id, tracking_id, access_token_hash, subject, description, category,
      ministry_code, state_code, district_code, pincode, language, complainant_cipher,
      mobile_lookup, primary_portal_code, routing_rule, sla_due_at, created_at, updated_at,
      channel, partner_app_id, mobile_verified, text_key, concepts, places)
    SELECT c.id, c.tracking_id, c.access_token_hash, c.subject, c.description, c.category,
      c.ministry_code, c.state_code, c.district_code, c.pincode, c.language, c.complainant_cipher,
      c.mobile_lookup, c.primary_portal_code, c.routing_rule, c.sla_due_at, c.created_at,
      c.created_at, c.channel, c.partner_app_id, c.mobile_verified,
      -- The check computed them, if it needed them (null: the cluster link job does; '{?}' is
      -- places' "not read yet").
      v.text_key, coalesce(v.concepts, '{}'), coalesce(v.places, '{?}')
    FROM ${lodged.row('complaint', COMPLAINT, 'c')}, verdict v
    WHERE v.refused IS NULL
    RETURNING id, created_at
  ), dispatch AS (
    INSERT INTO dispatches (id, complaint_id, portal_code, "primary", correlation_id, created_at,
      updated_at)
    SELECT d.id, c.id, d.portal_code, d.is_primary, d.correlation_id, c.created_at, c.created_at
    FROM complaint c, ${lodged.unnest('dispatches', DISPATCHES, 'd')}
  ), cluster_link AS (
    INSERT INTO cluster_links (id, created_at)
    SELECT c.id, c.created_at FROM complaint c, ${lodged.unnest('clusterLink', CLUSTER_LINK, 'l')}
  ), ${receivedAtIntake('complaint')}, idempotency AS (
    INSERT INTO idempotency_keys (caller, key, request_hash, response_status, response_cipher,
      complaint_id, created_at)
    SELECT i.caller, i.key, i.request_hash, i.response_status, i.response_cipher, c.id,
      c.created_at
    FROM complaint c, ${lodged.unnest('idempotency', IDEMPOTENCY, 'i')}
  )
  SELECT refused, repeat FROM verdict`);

/** The intake statement's parameter values. */
export function intakeValues(
  c: NewComplaint,
  check: IntakeCheck,
  idempotency: IdempotencyRecord | null,
): unknown[] {
  // Object.assign, not `{ ...check, complaint: … }`: in Node 20's V8 each property written after
  // a spread takes a slow path, 3 µs for these five, ~0.5 % of an intake (docs/benchmarks.md).
  return lodged.values(
    Object.assign(intakeCheckValues(check), {
      complaint: {
        id: c.id,
        tracking_id: c.trackingId,
        access_token_hash: c.accessTokenHash,
        subject: c.subject,
        description: c.description,
        category: c.category,
        ministry_code: c.ministryCode,
        state_code: c.stateCode,
        district_code: c.districtCode,
        pincode: c.pincode,
        language: c.language,
        complainant_cipher: c.complainantCipher,
        mobile_lookup: c.mobileLookup,
        primary_portal_code: c.primaryPortalCode,
        routing_rule: c.routingRule,
        sla_due_at: c.slaDueAt,
        created_at: c.createdAt,
        channel: c.channel,
        partner_app_id: c.partnerAppId,
        mobile_verified: c.mobileVerified,
      } satisfies RowOf<typeof COMPLAINT>,
      dispatches: c.dispatches.map((d): RowOf<typeof DISPATCHES> => ({
        id: d.id,
        portal_code: d.portalCode,
        is_primary: d.primary,
        correlation_id: c.correlationId,
      })),
      clusterLink: c.linkCluster ? [{ link: true } satisfies RowOf<typeof CLUSTER_LINK>] : [],
      idempotency: idempotency
        ? [
            {
              caller: idempotency.caller,
              key: idempotency.key,
              request_hash: idempotency.requestHash,
              response_status: idempotency.responseStatus,
              response_cipher: idempotency.responseCipher,
            } satisfies RowOf<typeof IDEMPOTENCY>,
          ]
        : [],
    }),
  );
}

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
   * The intake transaction: intake's check, then (unless it refused) the complaint, its
   * dispatches (waiting for the relay), the first timeline entry and the idempotency record,
   * committed together or not at all. Returns the check's verdict (stored when it refused
   * nothing), or 'key-taken' when another request committed the same idempotency key first.
   *
   * One statement (data-modifying CTEs), so one round trip and an implicit transaction: the
   * interactive Prisma transaction it replaces cost 6 round trips and most of the api's CPU
   * (docs/benchmarks.md). A taken idempotency key is a unique violation that undoes it all.
   */
  async insertLodged(
    c: NewComplaint,
    check: IntakeCheck,
    idempotency: IdempotencyRecord | null,
  ): Promise<IntakeVerdict | 'key-taken'> {
    try {
      const { rows } = await this.prisma.sql<IntakeVerdict>(
        INTAKE,
        intakeValues(c, check, idempotency),
      );
      return rows[0];
    } catch (error) {
      // A concurrent request committed the same Idempotency-Key first.
      if (idempotency && isUniqueViolation(error, 'idempotency_keys_pkey')) return 'key-taken';
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
