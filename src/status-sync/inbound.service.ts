import { Injectable, Logger } from '@nestjs/common';
import type { InboundRequest, StatusUpdate } from '../../adapters/adapter';
import { verifyPortalSignature } from '../auth/portal-signature';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { DomainError, NotFoundError, ValidationFailedError } from '../platform/errors/domain-error';
import { PortalRegistry } from '../portals/portal-registry.service';
import {
  checkHonest,
  firstOccurrences,
  parseHubEvent,
  splitEnvelope,
  type Candidate,
  type EventProblemCode,
} from './inbound-event.rules';
import { InboundRepository } from './inbound.repository';

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
  ) {}

  async receivePush(
    portalCode: string,
    req: InboundRequest,
    correlationId: string,
  ): Promise<PushOutcome> {
    const portal = this.config.portals.find((p) => p.code === portalCode);
    // A portal without a webhook secret does not push: to a caller it does not exist here.
    if (!portal?.webhookSecret) throw new NotFoundError('Portal');
    const verdict = verifyPortalSignature({
      secret: portal.webhookSecret,
      timestampHeader: header(req.headers['x-hub-timestamp']),
      signatureHeader: header(req.headers['x-hub-signature']),
      rawBody: req.rawBody,
    });
    if (!verdict.ok) {
      this.logger.warn(
        { portal: portalCode, reason: verdict.reason, correlationId },
        'Push refused',
      );
      throw new DomainError(
        'invalid-signature',
        401,
        'Unauthorized',
        signatureDetail(verdict.reason),
      );
    }
    const { adapter } = this.portals.get(portalCode);
    let candidates: Candidate[];
    let batch: boolean;
    if (adapter.parseWebhook) {
      candidates = this.parseOwnFormat(() => adapter.parseWebhook!(req));
      batch = candidates.length !== 1;
    } else {
      const envelope = splitEnvelope(req.body);
      if (!envelope.ok) throw new ValidationFailedError(envelope.errors);
      const map = (native: string) => adapter.mapStatus!(native);
      candidates = envelope.items.map((item) => parseHubEvent(item, map));
      batch = envelope.batch;
    }
    const results = await this.ingest(portalCode, candidates, 'push', correlationId);
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
  ): Promise<EventResult[]> {
    const refs = candidates.flatMap((c) => (c.ok ? [c.update.externalRef] : []));
    const dispatches = await this.repository.dispatchesByRef(portalCode, refs);
    const wait = via === 'poll';
    const checked = candidates.map((c) =>
      c.ok ? this.resolve(c.update, wait ? null : dispatches) : c,
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
    this.log(portalCode, via, correlationId, results);
    return results;
  }

  /** `dispatches` null: an unknown reference is not refused (it waits). */
  private resolve(update: StatusUpdate, dispatches: Map<string, unknown> | null): Candidate {
    if (dispatches && !dispatches.has(update.externalRef)) {
      return {
        ok: false,
        eventId: update.eventId,
        code: 'unknown-external-ref',
        detail: 'no grievance delivered to this portal has this reference',
      };
    }
    return checkHonest(update);
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

function header(value: string | string[] | undefined): string | undefined {
  return value as string | undefined; // verifyPortalSignature refuses arrays itself
}

function signatureDetail(reason: string): string {
  switch (reason) {
    case 'missing-headers':
      return 'X-Hub-Timestamp and X-Hub-Signature are required';
    case 'stale-timestamp':
      return 'X-Hub-Timestamp is more than 300 seconds away from the hub clock';
    case 'bad-timestamp':
      return 'X-Hub-Timestamp must be unix seconds';
    default:
      return 'X-Hub-Signature does not match the body';
  }
}
