import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../auth/audit.service';
import { ComplaintsService } from '../complaints/complaints.service';
import { CreateComplaintDto } from '../complaints/dto/create-complaint.dto';
import type { IdempotencyScope } from '../complaints/idempotency';
import type { PartnerPrincipal } from '../partner-apps/partner-apps.service';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { isKnownState } from '../platform/config/jurisdiction-lookup';
import { validateAs } from '../platform/errors/validation';
import { Open311Error } from './open311-error';
import { parseRequestQuery } from './open311-query.rules';
import { parsePost, toNativeComplaint } from './open311-request.rules';
import { serviceDefinition, serviceList } from './open311-services';
import { publicRequest, publicUpdate, w3c } from './open311-views';
import { Open311Repository } from './open311.repository';
import type { Open311Value } from '../../adapters/open311/georeport';
import { PLACE_INDEX } from './place-index.provider';
import type { PlaceIndex } from './place-index';
import { resolvePlace } from './place.rules';

type Query = Record<string, unknown>;

export interface Open311Caller {
  app: PartnerPrincipal | null;
  keyRefused: boolean;
  requestId: string | null;
  clientRequestId: string | null;
}

/** GeoReport v2 over the hub: services from the categories, requests through the native intake. */
@Injectable()
export class Open311Service {
  constructor(
    @InjectConfig() private readonly config: HubConfig,
    @Inject(PLACE_INDEX) private readonly places: PlaceIndex,
    private readonly complaints: ComplaintsService,
    private readonly repository: Open311Repository,
    private readonly audit: AuditService,
  ) {}

  /** jurisdiction_id is optional (its absence means all of India); given, it is an LGD state. */
  jurisdiction(query: Query): string | null {
    const value = query.jurisdiction_id;
    if (value === undefined || value === '') return null;
    if (typeof value !== 'string' || !isKnownState(this.config.jurisdictions, value))
      throw Open311Error.of(
        404,
        'jurisdiction_id was not found: send an LGD state code such as 09',
      );
    return value;
  }

  services(query: Query): Open311Value {
    this.jurisdiction(query);
    return serviceList(this.config.categories, this.config.ministries);
  }

  definition(serviceCode: string, query: Query): Open311Value {
    this.jurisdiction(query);
    const category = this.config.categories.find((c) => c.code === serviceCode);
    if (!category) throw Open311Error.of(404, 'service_code was not found (GET services)');
    return serviceDefinition(category, this.config.ministries);
  }

  async lodge(
    form: Query,
    caller: Open311Caller,
    idempotencyKey: string | null,
  ): Promise<Open311Value> {
    if (!caller.app) {
      if (caller.keyRefused) await this.auditPost(null, caller, null, 'denied');
      throw Open311Error.of(
        403,
        caller.keyRefused
          ? "Invalid api_key received -- can't proceed with create_request."
          : 'api_key is required: a partner app key issued by the hub (docs/open311.md)',
      );
    }
    const post = parsePost(form, this.config.categories, (code) =>
      isKnownState(this.config.jurisdictions, code),
    );
    const resolved = resolvePlace(post.place, this.places);
    if ('problem' in resolved) throw Open311Error.of(400, resolved.problem);
    const dto = await validateAs(CreateComplaintDto, toNativeComplaint(post, resolved.place));
    const scope: IdempotencyScope | null = idempotencyKey
      ? { caller: `partner:${caller.app.id}`, key: idempotencyKey }
      : null;
    const { body } = await this.complaints.lodge(dto, scope, caller.requestId ?? '', {
      channel: 'open311',
      partnerAppId: caller.app.id,
    });
    await this.auditPost(caller.app, caller, body.trackingId, 'ok');
    const agencies = body.routedTo.map((r) => r.portalName).join(' and ');
    return [
      {
        service_request_id: body.trackingId,
        service_notice: `Lodged with ${agencies}; a reply is due by ${w3c(new Date(body.slaDueAt))}.`,
        account_id: null,
      },
    ];
  }

  async requests(query: Query): Promise<Open311Value> {
    const stateCode = this.jurisdiction(query);
    const filter = parseRequestQuery(query, new Date());
    const rows = await this.repository.findRequests(
      { ...filter, stateCode },
      this.config.env.open311PublicText,
    );
    return rows.map((row) => publicRequest(this.config, row));
  }

  async request(trackingId: string, query: Query): Promise<Open311Value> {
    this.jurisdiction(query);
    const row = await this.repository.findRequest(trackingId, this.config.env.open311PublicText);
    if (!row) throw Open311Error.of(404, 'service_request_id was not found');
    return [publicRequest(this.config, row)];
  }

  /** Every service is realtime, so no token is ever issued; a request id serves as its own token. */
  async token(token: string, query: Query): Promise<Open311Value> {
    this.jurisdiction(query);
    const row = await this.repository.findRequest(token, false);
    if (!row)
      throw Open311Error.of(
        404,
        'token was not found (this server answers in realtime: POST requests returns the service_request_id)',
      );
    return [{ service_request_id: row.trackingId, token }];
  }

  async updates(query: Query): Promise<Open311Value> {
    const stateCode = this.jurisdiction(query);
    const { from, to } = parseRequestQuery(
      { start_date: query.start_date, end_date: query.end_date },
      new Date(),
    );
    const rows = await this.repository.findUpdates(from, to, stateCode);
    return rows.map(publicUpdate);
  }

  discovery(endpointUrl: string): Open311Value {
    const changeset = '2026-11-27T04:00:00Z';
    return {
      changeset,
      contact: 'The operators of this grievance hub; see docs/open311.md of grievance-hub.',
      key_service:
        'Partner app keys (api_key) are issued per app by a hub admin: POST /api/v1/staff/partner-apps.',
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: endpointUrl,
          changeset,
          type: this.config.env.nodeEnv === 'production' ? 'production' : 'test',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
  }

  private auditPost(
    app: PartnerPrincipal | null,
    caller: Open311Caller,
    trackingId: string | null,
    outcome: 'ok' | 'denied',
  ): Promise<void> {
    return this.audit.recordPartnerApp(app, {
      action: 'open311.request',
      target: trackingId,
      outcome,
      detail: null,
      requestId: caller.requestId,
      clientRequestId: caller.clientRequestId,
    });
  }
}
