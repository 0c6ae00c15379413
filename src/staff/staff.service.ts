import { Injectable } from '@nestjs/common';
import { CircuitBreakers } from '../dispatch/circuit-breakers';
import { DispatchQueues } from '../dispatch/dispatch-queues.service';
import { DispatchRetry } from '../dispatch/dispatch-retry.service';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { PiiCipher } from '../platform/crypto/pii-cipher';
import { decodeCursor, encodeCursor } from '../platform/database/keyset';
import { ConflictError, NotFoundError } from '../platform/errors/domain-error';
import type { SealedComplainant } from '../complaints/complainant';
import { maskComplainant } from '../complaints/masking';
import { StaffRepository, type SearchFilter, type SearchRow } from './staff.repository';
import { INDIAN_MOBILE, tenDigitMobile } from '../complaints/dto/field-rules';

/** Staff search, grievance detail (masked), audited unmask, dispatch retry, portal health. */
const COMPLAINANT_KEY = /^[0-9a-f]{64}$/;

@Injectable()
export class StaffService {
  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly repository: StaffRepository,
    private readonly pii: PiiCipher,
    private readonly queues: DispatchQueues,
    private readonly breakers: CircuitBreakers,
    private readonly retries: DispatchRetry,
  ) {}

  async search(
    filter: Omit<SearchFilter, 'ref' | 'mobileLookup'> & { q?: string },
    cursor: string | undefined,
    limit: number,
  ) {
    const { q, ...rest } = filter;
    const query = q?.trim();
    // A mobile number in any form intake accepts, a complainant key (the keyed hash the
    // complainants view shows), else a tracking id or portal reference.
    const mobile = query ? tenDigitMobile(query) : '';
    const lookup = !query
      ? null
      : INDIAN_MOBILE.test(mobile)
        ? this.pii.mobileLookup(mobile)
        : COMPLAINANT_KEY.test(query)
          ? query
          : null;
    const f: SearchFilter = {
      ...rest,
      ...(lookup ? { mobileLookup: lookup } : {}),
      ...(query && !lookup ? { ref: query } : {}),
    };
    const rows = await this.repository.search(f, decodeCursor(cursor), limit);
    const last = rows[rows.length - 1];
    return {
      items: rows.map((r) => this.listItem(r)),
      nextCursor:
        rows.length === limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    };
  }

  async detail(trackingId: string) {
    const c = await this.repository.findByTrackingId(trackingId);
    if (!c) throw new NotFoundError('Complaint');
    // statusFrom, like a dispatch's claim, is the status processor's bookkeeping (same-instant
    // ties), not something staff act on.
    const {
      complainantCipher,
      accessTokenHash: _a,
      mobileLookup: _m,
      id: _id,
      statusFrom: _f,
      // The text's skeleton for repeat detection: the subject and description say it.
      textKey: _t,
      concepts: _c,
      places: _p,
      ...rest
    } = c;
    return {
      ...rest,
      complainant: this.masked(complainantCipher),
      // The relay's bookkeeping (queued_at, the request's correlation id) is not the staff's.
      // So is the claim and its lease (the delivery's fencing).
      dispatches: c.dispatches.map(
        ({
          complaintId: _c,
          claim: _claim,
          claimLeaseUntil: _lease,
          queuedAt: _q,
          correlationId: _id,
          ...d
        }) => d,
      ),
      statusEvents: c.statusEvents.map(({ complaintId: _c, ...e }) => e),
      slaActions: c.slaActions.map(({ complaintId: _c, ...a }) => a),
    };
  }

  /** The one view with clear personal data: admin only, audited by the caller with its reason. */
  async unmask(trackingId: string) {
    const c = await this.repository.findCipherByTrackingId(trackingId);
    if (!c) throw new NotFoundError('Complaint');
    if (!c.complainantCipher)
      throw new ConflictError(
        'personal-data-erased',
        'The personal data of this grievance was erased after the retention period.',
      );
    return { trackingId, complainant: this.pii.decrypt<SealedComplainant>(c.complainantCipher) };
  }

  retryDispatch(id: string, actor: string) {
    return this.retries.retry(id, actor);
  }

  async portals() {
    const runsDelivery = this.config.env.hubRole !== 'api';
    const stats = await this.repository.portalStats(this.config.portals.map((p) => p.code));
    return Promise.all(
      this.config.portals.map(async (p) => {
        const s = stats.find((x) => x.portalCode === p.code);
        const decided = (s?.delivered24h ?? 0) + (s?.failed24h ?? 0);
        const queue = await this.queues
          .queue(p.code)
          .getJobCounts('waiting', 'active', 'delayed', 'failed')
          .catch(() => null);
        return {
          portalCode: p.code,
          name: p.name,
          kind: p.kind,
          mode: p.mode,
          lastDeliveryAt: s?.lastDeliveryAt?.toISOString() ?? null,
          deliveredLast24h: s?.delivered24h ?? 0,
          failedLast24h: s?.failed24h ?? 0,
          failureRatePct:
            decided > 0 ? Number(((100 * (s?.failed24h ?? 0)) / decided).toFixed(1)) : null,
          // Breakers live in the processes that deliver; an api-only process has never seen one.
          circuit: runsDelivery ? this.breakers.state(p.code) : 'unknown',
          backlog: {
            pendingDispatches: s?.pending ?? 0,
            failedDispatches: s?.failedOpen ?? 0,
            queue,
          },
        };
      }),
    );
  }

  private listItem(r: SearchRow) {
    const { complainantCipher, id: _id, ...rest } = r;
    return {
      ...rest,
      overdue: !r.resolvedAt && !!r.slaDueAt && r.slaDueAt.getTime() < Date.now(),
      complainant: this.masked(complainantCipher),
    };
  }

  private masked(cipher: Uint8Array | null) {
    return cipher ? maskComplainant(this.pii.decrypt<SealedComplainant>(cipher)) : null;
  }
}
