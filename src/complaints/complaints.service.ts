import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { HubConfig, portalName } from '../platform/config/hub-config';
import { InjectConfig } from '../platform/config/config.module';
import { PiiCipher } from '../platform/crypto/pii-cipher';
import { HubMetrics } from '../platform/metrics/metrics.service';
import { hashToken, newAccessToken, newTrackingId } from '../platform/crypto/tokens';
import type { CitizenPrincipal } from '../auth/citizen-sessions.service';
import { ConflictError, DomainError, NotFoundError } from '../platform/errors/domain-error';
import { RoutingService } from '../routing/routing.service';
import { SlaService } from '../sla/sla.service';
import { provesOwnership, type CitizenProof } from './citizen-proof';
import { ComplaintsRepository, type IntakeChannel } from './complaints.repository';
import { RepeatCheck } from './repeat-check.service';
import { checkReferenceCodes } from './complaint-reference.rules';
import { ComplaintCreatedDto, ComplaintViewDto } from './dto/complaint-responses.dto';
import type { SealedComplainant } from './complainant';
import { CreateComplaintDto } from './dto/create-complaint.dto';
import { IDEMPOTENCY_KEY_TTL_MS } from '../privacy/retention';
import type { IdempotencyScope } from './idempotency';
import { maskMobile } from './masking';

/** Where a grievance came from: the native API or Open311, and the partner app that filed it. */
export interface IntakeOrigin {
  channel: IntakeChannel;
  partnerAppId: string | null;
}

const NATIVE: IntakeOrigin = { channel: 'api', partnerAppId: null };

export interface LodgeResult {
  status: number;
  body: ComplaintCreatedDto;
  replayed: boolean;
}

@Injectable()
export class ComplaintsService {
  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly repository: ComplaintsRepository,
    private readonly routing: RoutingService,
    private readonly sla: SlaService,
    private readonly pii: PiiCipher,
    private readonly metrics: HubMetrics,
    private readonly repeats: RepeatCheck,
  ) {}

  async lodge(
    dto: CreateComplaintDto,
    idempotency: IdempotencyScope | null,
    correlationId: string,
    origin: IntakeOrigin = NATIVE,
    session: CitizenPrincipal | null = null,
  ): Promise<LodgeResult> {
    checkReferenceCodes(dto, this.config);
    const mobileLookup = this.pii.mobileLookup(dto.complainant.mobile);
    if (session && session.mobileLookup !== mobileLookup) {
      throw new DomainError(
        'citizen-session-other-mobile',
        403,
        'Forbidden',
        "The citizen session belongs to another mobile than the complainant's.",
      );
    }
    const requestHash = idempotency ? canonicalHash(dto) : '';
    const scope = idempotency
      ? { caller: this.pii.callerLookup(idempotency.caller), key: idempotency.key }
      : null;
    if (scope) {
      const replay = await this.replay(scope, requestHash);
      if (replay) return replay;
    }

    const decision = this.routing.route({
      stateCode: dto.location.stateCode,
      districtCode: dto.location.districtCode ?? null,
      category: dto.category,
      ministryCode: dto.ministryCode ?? null,
    });
    const now = new Date();
    const repeats = this.repeats.plan({
      mobileLookup,
      stateCode: dto.location.stateCode,
      districtCode: dto.location.districtCode ?? null,
      category: dto.category,
      pincode: dto.location.pincode,
      text: `${dto.subject} ${dto.description}`,
      primaryPortalCode: decision.primary,
      notARepeat: dto.notARepeat === true,
      now,
    });
    const accessToken = newAccessToken();
    const portals = [decision.primary, ...decision.mirrors];
    const dispatches = portals.map((portalCode, i) => ({
      id: randomUUID(),
      portalCode,
      primary: i === 0,
    }));
    const body: ComplaintCreatedDto = {
      trackingId: newTrackingId(),
      accessToken,
      status: 'RECEIVED',
      routedTo: dispatches.map((d) => ({
        portalCode: d.portalCode,
        portalName: portalName(this.config, d.portalCode),
        primary: d.primary,
      })),
      slaDueAt: this.sla.dueAt(decision.primary, dto.category, now).toISOString(),
      createdAt: now.toISOString(),
    };
    const { complainant, location } = dto;
    const outcome = await this.repository.insertLodged(
      {
        id: randomUUID(),
        trackingId: body.trackingId,
        accessTokenHash: hashToken(accessToken),
        subject: dto.subject,
        description: dto.description,
        category: dto.category,
        ministryCode: decision.ministryCode,
        stateCode: location.stateCode,
        districtCode: location.districtCode ?? null,
        pincode: location.pincode,
        language: complainant.language ?? 'en',
        complainantCipher: this.pii.encrypt({
          name: complainant.name,
          mobile: complainant.mobile,
          email: complainant.email ?? null,
          address: location.address,
        } satisfies SealedComplainant),
        mobileLookup,
        mobileVerified: session !== null,
        linkCluster: repeats.link,
        primaryPortalCode: decision.primary,
        routingRule: decision.rule,
        slaDueAt: new Date(body.slaDueAt),
        createdAt: now,
        dispatches,
        correlationId,
        ...origin,
      },
      repeats.check,
      scope
        ? {
            caller: scope.caller,
            key: scope.key,
            requestHash,
            responseStatus: 201,
            responseCipher: this.pii.encrypt(body),
          }
        : null,
    );
    if (outcome === 'key-taken' || outcome.refused !== null) {
      // Nothing was stored. A request with the same key may have committed since the look-up
      // above: its grievance is then this one's "repeat" (or took the cap's last place), or it
      // holds the key. Answer as it did; never 201 for a grievance this request did not store.
      const replay = scope ? await this.replay(scope, requestHash) : null;
      if (replay) return replay;
      if (outcome !== 'key-taken') throw this.repeats.problem(outcome, repeats);
      throw new ConflictError(
        'idempotency-key-conflict',
        'Another request with this Idempotency-Key is being handled; retry in a moment.',
      );
    }
    this.metrics.complaintsReceived.inc({ portal: decision.primary });
    return { status: 201, body, replayed: false };
  }

  async track(trackingId: string, proof: CitizenProof): Promise<ComplaintViewDto> {
    const complaint = await this.repository.findForTracking(trackingId);
    // Unknown id and wrong token are indistinguishable on purpose.
    if (!complaint || !provesOwnership(proof, complaint)) {
      throw new NotFoundError('Complaint');
    }
    const othersReported = complaint.clusterId
      ? await this.repository.countClusterOthers(complaint.clusterId, complaint.id)
      : 0;
    const mobile = complaint.complainantCipher
      ? this.pii.decrypt<SealedComplainant>(complaint.complainantCipher).mobile
      : '';
    return {
      trackingId: complaint.trackingId,
      status: complaint.status,
      subject: complaint.subject,
      category: complaint.category,
      complainant: { mobileMasked: mobile ? maskMobile(mobile) : '' },
      createdAt: complaint.createdAt.toISOString(),
      slaDueAt: complaint.slaDueAt?.toISOString() ?? null,
      closedAt: complaint.closedAt?.toISOString() ?? null,
      dispatches: complaint.dispatches.map((d) => ({
        portalCode: d.portalCode,
        externalRef: d.externalRef,
        status: d.status,
        primary: d.primary,
        lastSyncedAt: d.lastSyncedAt?.toISOString() ?? null,
      })),
      timeline: complaint.statusEvents.map((e) => ({
        at: e.occurredAt.toISOString(),
        status: e.status,
        source: e.source,
        remarks: e.remarks,
      })),
      othersReported,
    };
  }

  private async replay(scope: IdempotencyScope, requestHash: string): Promise<LodgeResult | null> {
    const stored = await this.repository.findIdempotentResponse(
      scope.caller,
      scope.key,
      IDEMPOTENCY_KEY_TTL_MS,
    );
    if (!stored) return null;
    if (stored.requestHash !== requestHash) {
      throw new ConflictError(
        'idempotency-key-reused',
        'This Idempotency-Key was already used with a different request body.',
      );
    }
    return {
      status: stored.responseStatus,
      body: this.pii.decrypt<ComplaintCreatedDto>(stored.responseCipher),
      replayed: true,
    };
  }
}

/** Same request = same validated content, whatever the key order or whitespace of the JSON. */
function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
