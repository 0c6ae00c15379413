import { Injectable, Logger } from '@nestjs/common';
import type { InboundRequest, StatusUpdate } from '../../adapters/adapter';
import { PORTAL_SIGNATURE_MAX_SKEW_SECONDS } from '../../adapters/push-signature';
import { PortalPushAuth } from '../auth/portal-push-auth.service';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { NotFoundError, ValidationFailedError } from '../platform/errors/domain-error';
import { parseJsonBody } from '../platform/http/json-shape';
import { HubMetrics } from '../platform/metrics/metrics.service';
import { PortalRegistry } from '../portals/portal-registry.service';
import {
  checkStorable,
  checkText,
  firstOccurrences,
  parseHubEvent,
  splitEnvelope,
  type Candidate,
  type EventProblemCode,
} from './inbound-event.rules';
import { InboundRepository, type KnownDispatch } from './inbound.repository';

const MAX_SKEW_MS = PORTAL_SIGNATURE_MAX_SKEW_SECONDS * 1000;

export interface EventResult {
  eventId: string | null;
  result: 'accepted' | 'duplicate' | 'rejected';
  status: 202 | 200 | 400 | 422;
  code?: EventProblemCode;
  detail?: string;
}

export interface PushOutcome {
  batch: boolean;
  results: EventResult[];
}

/**
 * The one way into the hub for portal status: pushes (signed) and polls both end here, and an
 * event is stored (unique per portal + eventId) before anyone is told it was accepted.
 */
@Injectable()
export class InboundService {
  private readonly logger = new Logger(InboundService.name);

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly portals: PortalRegistry,
    private readonly repository: InboundRepository,
    private readonly auth: PortalPushAuth,
    private readonly metrics: HubMetrics,
  ) {}

  /** Authenticates the raw bytes, and only then parses them: an unsigned body is never parsed. */
  async receivePush(
    portalCode: string,
    req: Omit<InboundRequest, 'body'> & { sourceAddress: string },
    correlationId: string,
  ): Promise<PushOutcome> {
    const receivedAt = new Date();
    const portal = this.config.portals.find((p) => p.code === portalCode);
    // A portal without a webhook secret does not push: to a caller it does not exist here.
    if (!portal?.webhookSecret) throw new NotFoundError('Portal');
    const { adapter } = this.portals.get(portalCode);
    this.auth.authenticate(portal, req, correlationId, adapter.verifyPush?.bind(adapter));
    const signed: InboundRequest = {
      headers: req.headers,
      rawBody: req.rawBody,
      body: parseJsonBody(req.rawBody),
    };
    let candidates: Candidate[];
    let batch: boolean;
    if (adapter.parseWebhook) {
      candidates = this.parseOwnFormat(() => adapter.parseWebhook!(signed));
      batch = candidates.length !== 1;
    } else {
      const envelope = splitEnvelope(signed.body);
      if (!envelope.ok) throw new ValidationFailedError(envelope.errors);
      const map = (native: string) => adapter.mapStatus!(native);
      candidates = envelope.items.map((item) => parseHubEvent(item, map));
      batch = envelope.batch;
    }
    const results = await this.ingest(portalCode, candidates, 'push', correlationId, receivedAt);
    return { batch, results };
  }

  /**
   * Stores what is valid, reports every event; shared by pushes and the poller. A polled event
   * for a reference no delivery has recorded yet (the portal registered the grievance, the hub
   * has not heard back) waits for it in waiting_status_events: the poll moves on past it, so a
   * refusal would lose it. A push for one is refused (422): the portal hears it at once.
   */
  async ingest(
    portalCode: string,
    candidates: Candidate[],
    via: 'push' | 'poll',
    correlationId: string,
    receivedAt = new Date(),
  ): Promise<EventResult[]> {
    const texts = candidates.map((c) => (c.ok ? checkText(c.update) : c));
    const refs = texts.flatMap((c) => (c.ok ? [c.update.externalRef] : []));
    const dispatches = await this.repository.dispatchesByRef(portalCode, refs);
    const wait = via === 'poll';
    const checked = texts.map((c) =>
      c.ok ? this.resolve(c.update, dispatches, receivedAt, wait) : c,
    );
    const first = firstOccurrences(checked);
    const valid = checked.flatMap((c, i) => (c.ok && first.has(i) ? [c.update] : []));
    const parked = await this.repository.insertWaiting(
      valid.filter((u) => !dispatches.has(u.externalRef)),
      { portalCode, via, correlationId },
    );
    const toStore = valid.flatMap((update) => {
      const d = dispatches.get(update.externalRef);
      if (!d) return [];
      return [
        {
          portalCode,
          update,
          dispatchId: d.id,
          complaintId: d.complaintId,
          via,
          correlationId,
        },
      ];
    });
    const stored = await this.repository.insertNew(toStore);
    const results = checked.map((c, i): EventResult => {
      if (!c.ok) {
        const status = c.code === 'invalid-event' ? 400 : 422;
        return { eventId: c.eventId, result: 'rejected', status, code: c.code, detail: c.detail };
      }
      const id = c.update.eventId;
      const isNew = first.has(i) && (stored.has(id) || parked.has(id));
      return isNew
        ? { eventId: c.update.eventId, result: 'accepted', status: 202 }
        : { eventId: c.update.eventId, result: 'duplicate', status: 200 };
    });
    for (const r of results)
      if (r.code) this.metrics.portalEventsRefused.inc({ portal: portalCode, reason: r.code });
    this.log(portalCode, via, correlationId, results);
    return results;
  }

  /**
   * `wait`: an unknown reference is not refused (a polled event waits for it). Its lower time
   * bound, the lodging, is then checked when it is released (dispatch and waiting-events SQL).
   */
  private resolve(
    update: StatusUpdate,
    dispatches: Map<string, KnownDispatch>,
    receivedAt: Date,
    wait: boolean,
  ): Candidate {
    const dispatch = dispatches.get(update.externalRef);
    if (!dispatch && !wait) {
      return {
        ok: false,
        eventId: update.eventId,
        code: 'unknown-external-ref',
        detail: 'no grievance delivered to this portal has this reference',
      };
    }
    return checkStorable(update, {
      lodgedAt: dispatch?.lodgedAt ?? null,
      receivedAt,
      maxSkewMs: MAX_SKEW_MS,
    });
  }

  private parseOwnFormat(parse: () => StatusUpdate[]): Candidate[] {
    try {
      return parse().map((update) => ({ ok: true, update }));
    } catch (error) {
      throw new ValidationFailedError([
        { path: '', message: (error as Error).message.slice(0, 200) },
      ]);
    }
  }

  private log(portal: string, via: string, correlationId: string, results: EventResult[]): void {
    const count = (r: EventResult['result']) => results.filter((x) => x.result === r).length;
    this.logger.log(
      {
        portal,
        via,
        correlationId,
        accepted: count('accepted'),
        duplicates: count('duplicate'),
        rejected: count('rejected'),
      },
      'Status events received',
    );
  }
}
