import { Injectable } from '@nestjs/common';
import { batched } from '../platform/database/batched';
import { NIL_UUID, type KeysetPosition } from '../platform/database/keyset';
import { PrismaService } from '../platform/database/prisma.service';
import { isUniqueViolation } from '../platform/database/unique-violation';
import { releaseWaitingEvents } from '../status-sync/waiting-events.sql';

export interface OutboxEntry {
  id: string;
  dispatchId: string;
  portalCode: string;
  correlationId: string;
}

export interface DeliverableDispatch {
  id: string;
  complaintId: string;
  portalCode: string;
  primary: boolean;
  status: string;
  inFlightSince: Date | null;
  /** An asynchronous portal's token, once a submit answered one: resolve it, never submit again. */
  portalToken: string | null;
  /** The fencing token: bumped by every attempt that claims the dispatch to submit it. */
  claim: number;
  complaint: {
    id: string;
    trackingId: string;
    subject: string;
    description: string;
    category: string;
    ministryCode: string | null;
    stateCode: string;
    districtCode: string | null;
    pincode: string;
    language: string;
    complainantCipher: Buffer | null;
    createdAt: Date;
    deliveredAt: Date | null;
    slaDueAt: Date | null;
  };
}

type DeliverableRow = Omit<DeliverableDispatch, 'complaint'> &
  Omit<DeliverableDispatch['complaint'], 'id' | 'deliveredAt' | 'complainantCipher'> & {
    complaintCipher: Buffer | null;
    complaintDeliveredAt: Date | null;
  };

const FIND_FOR_DELIVERY = `
  SELECT d.id, d.complaint_id AS "complaintId", d.portal_code AS "portalCode", d."primary",
         d.status::text AS status, d.in_flight_since AS "inFlightSince", d.claim,
         d.portal_token AS "portalToken",
         c.tracking_id AS "trackingId", c.subject, c.description, c.category,
         c.ministry_code AS "ministryCode", c.state_code AS "stateCode",
         c.district_code AS "districtCode", c.pincode, c.language,
         c.complainant_cipher AS "complaintCipher", c.created_at AS "createdAt",
         c.delivered_at AS "complaintDeliveredAt", c.sla_due_at AS "slaDueAt"
  FROM dispatches d JOIN complaints c ON c.id = d.complaint_id
  WHERE d.id = ANY($1::uuid[])`;

// Claims dispatches for a submit: only one still PENDING that no attempt claimed since this one
// read it ($2: the claim it saw). Returns the claims taken.
const MARK_IN_FLIGHT = `
  UPDATE dispatches d SET attempts = d.attempts + 1, claim = d.claim + 1,
         in_flight_since = now(), updated_at = now()
  FROM unnest($1::uuid[], $2::int[]) AS i(id, seen)
  WHERE d.id = i.id AND d.status = 'PENDING' AND d.claim = i.seen
  RETURNING d.id::text AS id, d.claim`;

// The claims ($1 ids, $2 claims) that still hold: the dispatch PENDING, claimed by nobody since.
const STILL_CLAIMED = `
  SELECT d.id::text AS id, d.claim FROM dispatches d
  JOIN unnest($1::uuid[], $2::int[]) AS i(id, claim) ON d.id = i.id AND d.claim = i.claim
  WHERE d.status = 'PENDING'`;

// Arrays, one element per delivery: $1 dispatch ids, $2 the portals' references, $3 delivered
// at, $4 SLA due at, $5 portal codes, $6 the claim the answer was got under (fencing: an attempt
// that another one has claimed past records nothing).
const MARK_DELIVERED = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[],
                         $6::int[])
      AS i(id, external_ref, delivered_at, sla_due_at, portal_code, claim)
  ), dispatch AS (
    UPDATE dispatches d SET status = 'DELIVERED', external_ref = i.external_ref,
           delivered_at = i.delivered_at, last_synced_at = i.delivered_at, in_flight_since = NULL,
           last_error = NULL, updated_at = now()
    FROM input i
    WHERE d.id = i.id AND d.status = 'PENDING' AND d.claim = i.claim
    RETURNING d.id, d.complaint_id, d."primary", i.external_ref, i.delivered_at, i.sla_due_at,
              i.portal_code
  ),
  -- Status events the portal reported before the hub knew this reference (the poller stored
  -- them as waiting): they go the ordinary way from here (docs/status-sync.md).
  ${releaseWaitingEvents('dispatch')}, complaint AS (
    UPDATE complaints c SET status = 'DELIVERED', updated_at = now(),
           -- The first delivery starts the SLA clock; a later one (after a transfer, or a failed
           -- transfer retried) keeps its start and deadline: the clock never resets.
           delivered_at = coalesce(c.delivered_at, d.delivered_at),
           sla_due_at = CASE WHEN c.delivered_at IS NULL THEN d.sla_due_at ELSE c.sla_due_at END
    FROM dispatch d
    WHERE d."primary" AND c.id = d.complaint_id
      AND c.status IN ('RECEIVED', 'ROUTED', 'TRANSFERRED')
    RETURNING c.id, d.external_ref, d.delivered_at, d.portal_code
  ), event AS (
    INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
    SELECT gen_random_uuid(), id, 'DELIVERED', 'portal:' || portal_code, portal_code,
           'Registered at ' || portal_code || ' as ' || external_ref, delivered_at
    FROM complaint
    RETURNING id, complaint_id
  ), notification AS (
    -- The citizen is told (src/notifications); the status relay queues the row.
    INSERT INTO notifications (id, complaint_id, status_event_id, kind)
    SELECT gen_random_uuid(), complaint_id, id, 'registered' FROM event
  )
  SELECT id::text AS id FROM dispatch`;

interface Claim {
  id: string;
  claim: number;
}

export interface Delivery {
  dispatch: { id: string; portalCode: string };
  /** The claim this attempt holds (or saw, when a lookup found the grievance without a claim). */
  claim: number;
  externalRef: string;
  deliveredAt: Date;
  slaDueAt: Date;
}

@Injectable()
export class DispatchRepository {
  constructor(private readonly prisma: PrismaService) {}

  // A worker runs dozens of deliveries at once. Their reads and writes are batched into one
  // statement per turn of the event loop: per delivery this was three statements and two commits,
  // most of the worker's and the database's CPU (docs/benchmarks.md).
  private readonly deliverables = batched((ids: readonly string[]) =>
    this.findManyForDelivery(ids),
  );
  private readonly inFlight = batched((claims: readonly Claim[]) =>
    this.claimed(MARK_IN_FLIGHT, claims, (c) => c.claim + 1),
  );
  private readonly held = batched(async (claims: readonly Claim[]) =>
    (await this.claimed(STILL_CLAIMED, claims, (c) => c.claim)).map((c) => c !== null),
  );
  private readonly deliveries = batched((batch: readonly Delivery[]) => this.settle(batch));

  /** The dispatch and the grievance it carries (hot path: once per delivery, batched). */
  findForDelivery(dispatchId: string): Promise<DeliverableDispatch | null> {
    return this.deliverables.load(dispatchId);
  }

  private async findManyForDelivery(
    ids: readonly string[],
  ): Promise<(DeliverableDispatch | null)[]> {
    const { rows } = await this.prisma.sql<DeliverableRow>(FIND_FOR_DELIVERY, [ids]);
    const byId = new Map(rows.map((row) => [row.id, toDeliverable(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * Claims a batch of unpublished outbox rows (other relays skip them), marks them published,
   * moves their complaints RECEIVED → ROUTED, then lets `publish` hand them to the queue before
   * the transaction commits: if publishing throws, everything stays unpublished for the next pass.
   */
  async relayBatch(
    limit: number,
    publish: (rows: OutboxEntry[]) => Promise<void>,
  ): Promise<number> {
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<{ id: string; payload: Omit<OutboxEntry, 'id'> }[]>`
          SELECT id, payload FROM outbox
          WHERE published_at IS NULL
          ORDER BY created_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        const ids = rows.map((r) => r.id);
        const dispatchIds = rows.map((r) => r.payload.dispatchId);
        await tx.$executeRaw`UPDATE outbox SET published_at = now() WHERE id = ANY(${ids}::uuid[])`;
        await tx.$executeRaw`
          WITH routed AS (
            UPDATE complaints c SET status = 'ROUTED', updated_at = now()
            FROM dispatches d
            WHERE d.id = ANY(${dispatchIds}::uuid[]) AND d."primary" AND c.id = d.complaint_id
              AND c.status = 'RECEIVED'
            RETURNING c.id, c.primary_portal_code, c.routing_rule, c.created_at
          )
          INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
          SELECT gen_random_uuid(), id, 'ROUTED', 'hub', primary_portal_code,
                 'Routed to ' || primary_portal_code || ' (rule ' || routing_rule || ')',
                 -- now() is when this transaction began, which can precede the intake commit
                 -- it then saw: never let ROUTED sort before RECEIVED on the timeline.
                 greatest(clock_timestamp(), created_at)
          FROM routed`;
        await publish(rows.map((r) => ({ id: r.id, ...r.payload })));
        return rows.length;
      },
      { timeout: 30_000 },
    );
  }

  /** Dispatches still pending a while after their outbox row was published (their job may be gone). */
  /** A page of pending dispatches untouched since `cutoff`, after `after` (the sweep's cursor). */
  async pendingPublishedBefore(
    cutoff: Date,
    after: KeysetPosition | null,
    limit: number,
  ): Promise<({ portalCode: string } & KeysetPosition)[]> {
    return this.prisma.$queryRaw`
      SELECT id::text AS id, portal_code AS "portalCode", updated_at AS at FROM dispatches
      WHERE status = 'PENDING' AND updated_at < ${cutoff}
        AND (updated_at, id) > (${after?.at ?? new Date(0)}, ${after?.id ?? NIL_UUID}::uuid)
      ORDER BY updated_at, dispatches.id
      LIMIT ${limit}`;
  }

  /** One cheap look on the partial index before the relay opens a transaction. */
  async hasUnpublished(): Promise<boolean> {
    const { rows } = await this.prisma.sql<{ any: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM outbox WHERE published_at IS NULL) AS any',
      [],
    );
    return rows[0].any;
  }

  /**
   * Before a submit whose outcome we might never learn (the next attempt must look it up first):
   * claims the dispatch if it is still PENDING and no attempt claimed it since `seen` was read.
   * Returns the new claim, or null when another attempt owns it or it is settled.
   */
  markInFlight(dispatchId: string, seen: number): Promise<number | null> {
    return this.inFlight.load({ id: dispatchId, claim: seen });
  }

  /** Whether `claim` still holds: the dispatch PENDING and claimed by nobody since. */
  stillClaimed(dispatchId: string, claim: number): Promise<boolean> {
    return this.held.load({ id: dispatchId, claim });
  }

  /** One statement for a batch of claims; each row of the answer goes to the first asker. */
  private async claimed(
    text: string,
    claims: readonly Claim[],
    expected: (c: Claim) => number,
  ): Promise<(number | null)[]> {
    const { rows } = await this.prisma.sql<{ id: string; claim: number }>(text, [
      claims.map((c) => c.id),
      claims.map((c) => c.claim),
    ]);
    const open = new Map(rows.map((r) => [r.id, r.claim]));
    return claims.map((c) => {
      const got = open.get(c.id);
      if (got === undefined || got !== expected(c)) return null;
      open.delete(c.id); // two attempts at one dispatch in one batch: only the first one holds it
      return got;
    });
  }

  /**
   * Keeps the token an asynchronous portal answered, under the claim the submit was made with:
   * the answer is known (no longer in flight), the reference is still to come. False when
   * another attempt has claimed or settled the dispatch since.
   */
  async recordToken(dispatchId: string, claim: number, token: string): Promise<boolean> {
    const { count } = await this.prisma.dispatch.updateMany({
      where: { id: dispatchId, status: 'PENDING', claim },
      data: { portalToken: token, inFlightSince: null, lastError: null },
    });
    return count > 0;
  }

  /** A re-submit the portal cannot de-duplicate (no lookup): staff see the flag on the dispatch. */
  async flagPossibleDuplicate(dispatchId: string): Promise<void> {
    await this.prisma.dispatch.update({
      where: { id: dispatchId },
      data: { possibleDuplicate: true },
    });
  }

  /** A failed attempt's error, unless another attempt has claimed or settled the dispatch since. */
  async recordAttemptError(
    dispatchId: string,
    claim: number,
    error: string,
    stillAmbiguous: boolean,
  ): Promise<boolean> {
    const { count } = await this.prisma.dispatch.updateMany({
      where: { id: dispatchId, status: 'PENDING', claim },
      data: { lastError: error, ...(stillAmbiguous ? {} : { inFlightSince: null }) },
    });
    return count > 0;
  }

  /**
   * Settles a delivery: the dispatch, then — for the primary one — the grievance (the first
   * delivery starts the SLA clock with `slaDueAt`; later ones only make it DELIVERED again), its timeline entry and
   * the citizen's notification. A dispatch no longer PENDING changes nothing. Batched with the
   * deliveries settling at the same moment, in one statement.
   */
  async markDelivered(delivery: Delivery): Promise<boolean> {
    return this.deliveries.load(delivery);
  }

  /** Per delivery: true if it settled the dispatch, false if it was settled or claimed past. */
  private async settle(batch: readonly Delivery[]): Promise<(boolean | Error)[]> {
    try {
      const { rows } = await this.prisma.sql<{ id: string }>(MARK_DELIVERED, [
        batch.map((d) => d.dispatch.id),
        batch.map((d) => d.externalRef),
        batch.map((d) => d.deliveredAt),
        batch.map((d) => d.slaDueAt),
        batch.map((d) => d.dispatch.portalCode),
        batch.map((d) => d.claim),
      ]);
      const settled = new Set(rows.map((r) => r.id));
      return batch.map((d) => settled.delete(d.dispatch.id));
    } catch (error) {
      if (!isUniqueViolation(error, 'dispatches_portal_external_ref_key')) throw error;
      // Some portal reused a reference number: settle the others, and fail only that delivery.
      if (batch.length > 1) return Promise.all(batch.map((d) => this.settleAlone(d)));
      return [new ExternalRefTakenError(batch[0].dispatch.portalCode, batch[0].externalRef)];
    }
  }

  private settleAlone(delivery: Delivery): Promise<boolean | Error> {
    return this.settle([delivery]).then(([result]) => result);
  }

  /**
   * Gives up on the dispatch, unless another attempt has claimed or settled it since `claim`.
   * `mayBeRegistered`: the portal may hold the grievance (the last answer never came back), so
   * the in-flight mark stays and a staff retry looks it up before submitting again.
   */
  async markFailed(
    dispatch: { id: string; complaintId: string; portalCode: string; primary: boolean },
    claim: number,
    reason: string,
    mayBeRegistered = false,
  ): Promise<void> {
    const failedAt = new Date();
    await this.prisma.$transaction(async (tx) => {
      const updated = await tx.dispatch.updateMany({
        where: { id: dispatch.id, status: 'PENDING', claim },
        data: {
          status: 'DISPATCH_FAILED',
          failedAt,
          lastError: reason,
          ...(mayBeRegistered ? {} : { inFlightSince: null }),
        },
      });
      if (updated.count === 0 || !dispatch.primary) return;
      const moved = await tx.complaint.updateMany({
        where: { id: dispatch.complaintId, status: { in: ['RECEIVED', 'ROUTED', 'TRANSFERRED'] } },
        data: { status: 'DISPATCH_FAILED' },
      });
      if (moved.count === 0) return;
      await tx.statusEvent.create({
        data: {
          complaintId: dispatch.complaintId,
          status: 'DISPATCH_FAILED',
          source: 'hub',
          portalCode: dispatch.portalCode,
          remarks: `Delivery to ${dispatch.portalCode} failed: ${reason}`,
          occurredAt: failedAt,
        },
      });
    });
  }
}

/**
 * The portal answered with a reference number another grievance already holds: a portal-side
 * fault (a reset or restored portal numbering again) that no retry can mend.
 */
export class ExternalRefTakenError extends Error {
  override readonly name = 'ExternalRefTakenError';
  constructor(
    readonly portalCode: string,
    readonly externalRef: string,
  ) {
    super(
      `${portalCode} registered the grievance as ${externalRef}, a reference another grievance already holds; ask the portal to correct its numbering, then retry the dispatch`,
    );
  }
}

function toDeliverable({ complaintCipher, ...r }: DeliverableRow): DeliverableDispatch {
  return {
    id: r.id,
    complaintId: r.complaintId,
    portalCode: r.portalCode,
    primary: r.primary,
    status: r.status,
    inFlightSince: r.inFlightSince,
    portalToken: r.portalToken,
    claim: r.claim,
    complaint: {
      id: r.complaintId,
      trackingId: r.trackingId,
      subject: r.subject,
      description: r.description,
      category: r.category,
      ministryCode: r.ministryCode,
      stateCode: r.stateCode,
      districtCode: r.districtCode,
      pincode: r.pincode,
      language: r.language,
      complainantCipher: complaintCipher,
      createdAt: r.createdAt,
      deliveredAt: r.complaintDeliveredAt,
      slaDueAt: r.slaDueAt,
    },
  };
}
