import { Injectable } from '@nestjs/common';
import type { ClientBase } from 'pg';
import { batched } from '../platform/database/batched';
import { NamedParams, type ColumnTypes, type RowOf } from '../platform/database/named-params';
import { PrismaService } from '../platform/database/prisma.service';
import { isUniqueViolation } from '../platform/database/unique-violation';
import { RowRelay, type RelaySource, type WaitingRow } from '../platform/queue/row-relay';
import { deliveredCtes } from '../lifecycle/lifecycle.sql';
import { LifecycleRepository } from '../lifecycle/lifecycle.repository';
import { releaseWaitingEvents } from '../inbound/waiting-events.sql';
import { prepared, type Prepared } from '../platform/database/prepared';

/** A dispatch as the relay reads it. */
export interface QueuedDispatch extends WaitingRow {
  portalCode: string;
  /** A staff retry: the dispatch's earlier job may still hold its deterministic id. */
  rearmed: boolean;
}

/** Dispatches claimed per relay transaction. */
const RELAY_BATCH = 200;

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
  /** How long the latest claim's lease still runs (another attempt may be submitting); 0: none. */
  leaseLeftMs: number;
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

// Milliseconds the dispatch's claim lease still runs, 0 when none runs (database time only).
const LEASE_LEFT_MS = `coalesce(greatest(ceil(extract(epoch FROM d.claim_lease_until - now()) * 1000), 0), 0)::int`;

// The PENDING check of a statement that finds dispatches by id, compared as text so that it
// cannot match the predicate of the partial index dispatches_pending_idx (created_at, id) WHERE
// status = 'PENDING': on statistics from a quiet period the plans read that whole index per
// lookup (id is its second column), the whole backlog per delivery after an outage. The id's
// primary key stays the only index (decision 0034; test/integration/dispatch-lookup-plans).
const STILL_PENDING = `d.status::text = 'PENDING'`;

const FIND_FOR_DELIVERY = prepared(`
  SELECT d.id, d.complaint_id AS "complaintId", d.portal_code AS "portalCode", d."primary",
         d.status::text AS status, d.in_flight_since AS "inFlightSince", d.claim,
         ${LEASE_LEFT_MS} AS "leaseLeftMs",
         d.portal_token AS "portalToken",
         c.tracking_id AS "trackingId", c.subject, c.description, c.category,
         c.ministry_code AS "ministryCode", c.state_code AS "stateCode",
         c.district_code AS "districtCode", c.pincode, c.language,
         c.complainant_cipher AS "complaintCipher", c.created_at AS "createdAt",
         c.delivered_at AS "complaintDeliveredAt", c.sla_due_at AS "slaDueAt"
  FROM dispatches d JOIN complaints c ON c.id = d.complaint_id
  WHERE d.id = ANY($1::uuid[])`);

// Parameters are named (NamedParams): each unnest's columns are listed once, and its rows are
// objects keyed by column.
const CLAIM = { id: 'uuid', claim: 'int', lease_ms: 'int' } as const satisfies ColumnTypes;

// Claims dispatches for a submit: only one still PENDING that no attempt claimed since this one
// read it (`claim`: the claim it saw) and whose last claim's lease has run out. Each claim taken
// is a lease of `lease_ms`. Returns the claims taken.
const inFlightParams = new NamedParams();
export const MARK_IN_FLIGHT = prepared(`
  UPDATE dispatches d SET attempts = d.attempts + 1, claim = d.claim + 1,
         in_flight_since = now(), updated_at = now(),
         claim_lease_until = now() + i.lease_ms * interval '1 millisecond'
  FROM ${inFlightParams.unnest('claims', CLAIM, 'i')}
  WHERE d.id = i.id AND ${STILL_PENDING} AND d.claim = i.claim AND d.portal_token IS NULL
    AND (d.claim_lease_until IS NULL OR d.claim_lease_until <= now())
  RETURNING d.id::text AS id, d.claim`);

// Renews the claims that still hold (the dispatch PENDING, claimed by nobody since) for another
// `lease_ms`, even one whose lease ran out while nobody claimed past it, under a new claim: an
// attempt that read the dispatch before the renewal (and may have asked the portal before this
// attempt's submit) can no longer claim it, even once this lease has ended. Returns the new claims.
const renewParams = new NamedParams();
export const RENEW_CLAIM = prepared(`
  UPDATE dispatches d SET claim = d.claim + 1,
         claim_lease_until = now() + i.lease_ms * interval '1 millisecond'
  FROM ${renewParams.unnest('claims', CLAIM, 'i')}
  WHERE d.id = i.id AND d.claim = i.claim AND ${STILL_PENDING}
  RETURNING d.id::text AS id, d.claim`);

// markInFlight's answer to a refused claim: the lease the claim `$2` still holds on dispatch `$1`
// (PENDING, claimed by nobody since, no token); no row when it does not hold.
export const CLAIM_LEASE_LEFT = prepared(`
  SELECT ${LEASE_LEFT_MS} AS "leaseLeftMs" FROM dispatches d
  WHERE d.id = $1::uuid AND ${STILL_PENDING} AND d.claim = $2 AND d.portal_token IS NULL`);

// One row per delivery; `claim`: the claim the answer was got under (fencing: an attempt that
// another one has claimed past records nothing).
const DELIVERY = {
  id: 'uuid',
  external_ref: 'text',
  delivered_at: 'timestamptz',
  sla_due_at: 'timestamptz',
  portal_code: 'text',
  claim: 'int',
} as const satisfies ColumnTypes;
const deliveredParams = new NamedParams();
export const MARK_DELIVERED = prepared(`
  WITH input AS (
    SELECT * FROM ${deliveredParams.unnest('deliveries', DELIVERY, 'i')}
  ), dispatch AS (
    UPDATE dispatches d SET status = 'DELIVERED', external_ref = i.external_ref,
           delivered_at = i.delivered_at, last_synced_at = i.delivered_at, in_flight_since = NULL,
           claim_lease_until = NULL, last_error = NULL, updated_at = now()
    FROM input i
    WHERE d.id = i.id AND ${STILL_PENDING} AND d.claim = i.claim
    RETURNING d.id, d.complaint_id, d."primary", i.external_ref, i.delivered_at, i.sla_due_at,
              i.portal_code
  ),
  -- Status events the portal reported before the hub knew this reference (the poller stored
  -- them as waiting): they go the ordinary way from here (docs/status-sync.md).
  ${releaseWaitingEvents('dispatch')},
  -- The grievance DELIVERED, its timeline entry and the citizen's notification (lifecycle).
  ${deliveredCtes('dispatch')}
  SELECT id::text AS id FROM dispatch`);

interface Claim {
  id: string;
  claim: number;
  leaseMs: number;
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
  constructor(
    private readonly prisma: PrismaService,
    private readonly lifecycle: LifecycleRepository,
  ) {}

  // A worker runs dozens of deliveries at once. Their reads and writes are batched into one
  // statement per turn of the event loop: per delivery this was three statements and two commits,
  // most of the worker's and the database's CPU (docs/benchmarks.md).
  private readonly deliverables = batched((ids: readonly string[]) =>
    this.findManyForDelivery(ids),
  );
  private readonly inFlight = batched((claims: readonly Claim[]) =>
    this.claimed(MARK_IN_FLIGHT, inFlightParams, claims, (c) => c.claim + 1),
  );
  private readonly renewed = batched((claims: readonly Claim[]) =>
    this.claimed(RENEW_CLAIM, renewParams, claims, (c) => c.claim + 1),
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
   * The relay of dispatches not yet queued (platform/queue/row-relay). Queuing routes the
   * grievance: RECEIVED → ROUTED, in the transaction that marks its primary dispatch queued.
   */
  relay(queue: Pick<RelaySource<QueuedDispatch>, 'add' | 'withoutLiveJob'>): RowRelay {
    return new RowRelay(this.prisma, [
      {
        table: 'dispatches',
        pending: `status = 'PENDING'`,
        order: 'created_at',
        columns: `portal_code AS "portalCode", coalesce(correlation_id, 'dispatch-' || id::text) AS "correlationId",
          claim > 0 AS rearmed`,
        batch: RELAY_BATCH,
        claimed: (tx, rows) => this.route(tx, rows),
        ...queue,
      },
    ]);
  }

  /**
   * Staff retry: DISPATCH_FAILED → PENDING with a fresh attempt budget and no job yet, so the
   * relay queues it like any delivery; a primary dispatch's grievance goes back to ROUTED
   * (lifecycle). Null when the dispatch is not DISPATCH_FAILED (or not there).
   */
  async rearmFailed(id: string, actor: string): Promise<{ portalCode: string } | null> {
    return this.prisma.$transaction(async (tx) => {
      const [dispatch] = await tx.$queryRaw<
        { complaintId: string; portalCode: string; primary: boolean }[]
      >`
        UPDATE dispatches SET status = 'PENDING', attempts = 0, last_error = NULL, failed_at = NULL,
          -- A new claim: an attempt of the failed job still holding the old one (paused past its
          -- lock) must not find it valid again now that the dispatch is PENDING once more.
          claim = claim + 1, updated_at = now(),
          -- Back to the relay, like any dispatch waiting for its job (a claim > 0 marks it
          -- re-armed: its finished job is removed first, see OutboxRelay).
          queued_at = NULL, correlation_id = 'retry-' || id::text
        WHERE id = ${id}::uuid AND status = 'DISPATCH_FAILED'
        RETURNING complaint_id AS "complaintId", portal_code AS "portalCode", "primary"`;
      if (!dispatch) return null;
      if (dispatch.primary)
        await this.lifecycle.retried(tx, {
          complaintId: dispatch.complaintId,
          portalCode: dispatch.portalCode,
          actor,
        });
      return { portalCode: dispatch.portalCode };
    });
  }

  findDispatch(id: string) {
    return this.prisma.dispatch.findUnique({ where: { id }, select: { status: true } });
  }

  private async route(tx: ClientBase, rows: QueuedDispatch[]): Promise<void> {
    await this.lifecycle.routed(
      tx,
      rows.map((r) => r.id),
    );
  }

  /**
   * Before a submit whose outcome we might never learn (the next attempt must look it up first):
   * claims the dispatch for a lease of `leaseMs` if it is still PENDING, no attempt claimed it
   * since `seen` was read and the last claim's lease has run out. Returns the new claim; null when
   * another attempt owns it or it is settled; `{ leaseLeftMs }` when the claim `seen` is another
   * attempt's and its lease still runs (that attempt may be submitting right now).
   */
  async markInFlight(
    dispatchId: string,
    seen: number,
    leaseMs: number,
  ): Promise<number | null | { leaseLeftMs: number }> {
    const claim = await this.inFlight.load({ id: dispatchId, claim: seen, leaseMs });
    if (claim !== null) return claim;
    // Refused with the claim unchanged and no token: the lease did it (it may have run out since
    // the UPDATE; then the retry after 1 ms claims).
    const { rows } = await this.prisma.sql<{ leaseLeftMs: number }>(CLAIM_LEASE_LEFT, [
      dispatchId,
      seen,
    ]);
    return rows[0] ? { leaseLeftMs: Math.max(rows[0].leaseLeftMs, 1) } : null;
  }

  /**
   * If `claim` still holds (the dispatch PENDING and claimed by nobody since), renews it for
   * `leaseMs` under a new claim, returned; null when it does not hold: right before a submit.
   */
  renewClaim(dispatchId: string, claim: number, leaseMs: number): Promise<number | null> {
    return this.renewed.load({ id: dispatchId, claim, leaseMs });
  }

  /** One statement for a batch of claims; each row of the answer goes to the first asker. */
  private async claimed(
    statement: Prepared,
    params: NamedParams,
    claims: readonly Claim[],
    expected: (c: Claim) => number,
  ): Promise<(number | null)[]> {
    const { rows } = await this.prisma.sql<{ id: string; claim: number }>(
      statement,
      params.values({
        claims: claims.map((c): RowOf<typeof CLAIM> => ({
          id: c.id,
          claim: c.claim,
          lease_ms: c.leaseMs,
        })),
      }),
    );
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
      data: { portalToken: token, inFlightSince: null, claimLeaseUntil: null, lastError: null },
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

  /**
   * A failed attempt's error, unless another attempt has claimed or settled the dispatch since.
   * `leaseHolder`: the attempt claimed the dispatch itself, and its lease ends with it (one that
   * only saw the claim leaves the lease to the attempt that took it, which may have renewed it).
   */
  async recordAttemptError(
    dispatchId: string,
    claim: number,
    error: string,
    { stillAmbiguous, leaseHolder }: { stillAmbiguous: boolean; leaseHolder: boolean },
  ): Promise<boolean> {
    const { count } = await this.prisma.dispatch.updateMany({
      where: { id: dispatchId, status: 'PENDING', claim },
      data: {
        lastError: error,
        ...(leaseHolder ? { claimLeaseUntil: null } : {}),
        ...(stillAmbiguous ? {} : { inFlightSince: null }),
      },
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
      const { rows } = await this.prisma.sql<{ id: string }>(
        MARK_DELIVERED,
        deliveredParams.values({
          deliveries: batch.map((d): RowOf<typeof DELIVERY> => ({
            id: d.dispatch.id,
            external_ref: d.externalRef,
            delivered_at: d.deliveredAt,
            sla_due_at: d.slaDueAt,
            portal_code: d.dispatch.portalCode,
            claim: d.claim,
          })),
        }),
      );
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
          claimLeaseUntil: null,
          ...(mayBeRegistered ? {} : { inFlightSince: null }),
        },
      });
      if (updated.count === 0 || !dispatch.primary) return;
      await this.lifecycle.dispatchFailed(tx, {
        complaintId: dispatch.complaintId,
        portalCode: dispatch.portalCode,
        reason,
        failedAt,
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
    leaseLeftMs: r.leaseLeftMs,
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
