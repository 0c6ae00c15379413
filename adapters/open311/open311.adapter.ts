import {
  PermanentError,
  type AdapterDeps,
  type CallOptions,
  type CanonicalStatus,
  type Cursor,
  type OutboundGrievance,
  type PortalAdapter,
  type PollScope,
  type PortalInstance,
  type StatusUpdate,
  type SubmitOutcome,
  type SubmitResult,
} from '../adapter';
import { parseOptions } from '../options-error';
import { staticKey } from '../portal-auth';
import { isoOrNow, PortalClient } from '../portal-client';
import { createStatusMapper } from '../status-map';
import { ERROR_MESSAGE_FIELD, requestUpdatesIn, serviceRequestsIn, text } from './georeport';
import { OPEN311_STATUS_TABLE, open311OptionsSchema, type Open311Options } from './open311.options';

/** GeoReport's limit on a description. */
const MAX_DESCRIPTION = 4_000;
const DAY_MS = 86_400_000;

/**
 * The reference the hub writes into every description: how it recognises its own requests among
 * a city's (GET requests has no search by a client's reference).
 */
export function hubMarker(g: Pick<OutboundGrievance, 'trackingId' | 'clientRef'>): string {
  return `[ONOP-HUB ${g.trackingId} ${g.clientRef}]`;
}
const MARKER = /\[ONOP-HUB (\S+) (\S+)\]/;
/** The fields of a request or an update an event keeps as its `raw`. */
const RAW_FIELDS = [
  'update_id',
  'service_request_id',
  'status',
  'status_notes',
  'service_code',
  'requested_datetime',
  'updated_datetime',
  'agency_responsible',
];

/**
 * Any city system speaking Open311 GeoReport v2 (adapters/open311/README.md). No lookup by our
 * reference exists in the spec (`lookup: none`): after an ambiguous failure `findSubmitted`
 * searches the city's recent requests for our reference before the hub sends it again.
 */
export class Open311Adapter implements PortalAdapter {
  readonly kind = 'open311';
  private readonly client: PortalClient;
  private readonly toCanonical: (native: string) => CanonicalStatus;
  /** Polling by reference (the default): the hub gives each poll a page of open references. */
  readonly pollByReference?: { perPoll: number };

  constructor(
    private readonly portal: PortalInstance,
    deps: AdapterDeps,
    private readonly options: Open311Options,
    private readonly now: () => Date = () => new Date(),
  ) {
    // The spec's api_key is a form field of POST requests; `credential.header` names the field.
    const credential = portal.credential;
    this.client = new PortalClient(portal, deps.http, {
      format: 'form',
      errorMessageField: ERROR_MESSAGE_FIELD[options.format],
      ...(credential && {
        auth: staticKey({ in: 'body', name: credential.header, value: credential.value }),
      }),
    });
    this.toCanonical = createStatusMapper('open311', {
      ...OPEN311_STATUS_TABLE,
      ...options.statusMap,
    });
    if (options.pollBy === 'reference') this.pollByReference = { perPoll: options.refsPerPoll };
  }

  async submit(g: OutboundGrievance, opts: CallOptions): Promise<SubmitOutcome> {
    const pii = [g.complainant.name, g.complainant.mobile, g.complainant.email, g.location.address];
    const res = await this.client.call(
      { operation: 'submit', method: 'POST', path: this.path('requests'), body: this.form(g), pii },
      opts,
    );
    const [answer] = serviceRequestsIn(res.data);
    const id = answer && text(answer, 'service_request_id');
    const token = answer && text(answer, 'token');
    const acceptedAt = this.now().toISOString();
    if (id) return { externalRef: id, acceptedAt, raw: res.data };
    // A batch service: the id comes later, through GET tokens/{token}.
    if (token) return { kind: 'token', token, acceptedAt, raw: res.data };
    throw this.client.unreadable('submit', 'answer without service_request_id or token', true);
  }

  async resolveToken(token: string, opts: CallOptions): Promise<SubmitResult | null> {
    const path = this.path(`tokens/${encodeURIComponent(token)}`);
    const res = await this.client.call(
      { operation: 'token', method: 'GET', path, query: this.jurisdiction(), accept: [404] },
      opts,
    );
    // Not known yet (some servers answer 404 until the batch has run) or not numbered yet.
    if (res.status === 404) return null;
    const id = serviceRequestsIn(res.data)
      .map((r) => text(r, 'service_request_id'))
      .find(Boolean);
    return id ? { externalRef: id, acceptedAt: this.now().toISOString(), raw: res.data } : null;
  }

  /**
   * Best effort after an ambiguous failure: our reference in the description of a request the
   * city received since the grievance was lodged. Null proves nothing (a batch not yet run, a
   * description the city rewrote), so the portal still declares `lookup: none`.
   */
  async findSubmitted(g: OutboundGrievance, opts: CallOptions): Promise<SubmitResult | null> {
    const from = Math.max(Date.parse(g.lodgedAt) - DAY_MS, this.now().getTime() - 89 * DAY_MS);
    const query = {
      ...this.jurisdiction(),
      service_code: this.serviceCode(g),
      start_date: new Date(from).toISOString(),
      end_date: new Date(this.now().getTime() + DAY_MS).toISOString(),
    };
    const res = await this.client.call(
      { operation: 'search', method: 'GET', path: this.path('requests'), query },
      opts,
    );
    const mine = serviceRequestsIn(res.data).find(
      (r) => text(r, 'description')?.includes(hubMarker(g)) && text(r, 'service_request_id'),
    );
    if (!mine) return null;
    return {
      externalRef: text(mine, 'service_request_id')!,
      acceptedAt: isoOrNow(text(mine, 'requested_datetime'), this.now),
      raw: {
        service_request_id: mine.service_request_id,
        requested_datetime: mine.requested_datetime,
      },
    };
  }

  /**
   * With a scope (polling by reference): `requests` asks GET requests for the scope's open
   * references, `idsPerRequest` at a time; `servicerequestupdates` reads the feed and keeps the
   * updates of references the hub says are its own. Without one (`pollBy: window`, or a hub that
   * gives none) our requests are those in the polling window whose description holds our marker.
   */
  async fetchUpdates(
    since: Cursor,
    opts: CallOptions,
    scope?: PollScope,
  ): Promise<{ events: StatusUpdate[]; next: Cursor }> {
    if (this.options.statusUpdates === 'requests') {
      const mine = scope
        ? await this.requestsById(scope.openRefs, opts)
        : await this.ourRequests(opts);
      // GeoReport's own status: open or closed, with the officer's notes.
      // `open` only says it was reported, which the hub knew when it delivered.
      const events = mine
        .filter((r) => text(r, 'status')?.toLowerCase() !== 'open')
        .map((r) => this.event(r, 'status', 'status_notes', 'updated_datetime'));
      return { events: events.filter((e): e is StatusUpdate => e !== null), next: since };
    }
    const ownedByWindow = scope
      ? null
      : new Set((await this.ourRequests(opts)).map((r) => text(r, 'service_request_id')));
    const start =
      since ?? new Date(this.now().getTime() - this.options.pollWindowDays * DAY_MS).toISOString();
    const res = await this.client.call(
      {
        operation: 'status updates',
        method: 'GET',
        path: this.path('servicerequestupdates'),
        query: { ...this.jurisdiction(), start_date: start, end_date: this.now().toISOString() },
      },
      opts,
    );
    const updates = requestUpdatesIn(res.data);
    const ids = [...new Set(updates.map((u) => text(u, 'service_request_id')))].filter(
      (id): id is string => id !== undefined,
    );
    const owned = ownedByWindow ?? (await this.ownedAmong(ids, scope!, opts));
    const events: StatusUpdate[] = [];
    let next = since;
    for (const u of updates) {
      const at = text(u, 'updated_datetime');
      if (at && (!next || Date.parse(at) > Date.parse(next))) next = new Date(at).toISOString();
      // The feed holds every request of the city; the hub takes those it delivered.
      if (!owned.has(text(u, 'service_request_id') ?? '')) continue;
      const event = this.event(u, 'status', 'description', 'updated_datetime', 'update_id');
      if (event) events.push(event);
    }
    return { events, next };
  }

  mapStatus(nativeStatus: string): CanonicalStatus {
    return this.toCanonical(nativeStatus);
  }

  healthCheck(opts: CallOptions): Promise<{ ok: boolean; detail?: string }> {
    const query = new URLSearchParams(this.jurisdiction()).toString();
    return this.client.health(`${this.path('services')}${query ? `?${query}` : ''}`, opts);
  }

  /**
   * Which of a feed's request ids are ours: those the hub delivered (it says), and those it
   * filed but has no reference for yet (the answer to its submit was lost), recognised by our
   * marker in their description, asked for by id; the hub parks their updates until the
   * reference is known (docs/status-sync.md), so skipping them would lose them.
   */
  private async ownedAmong(
    ids: string[],
    scope: PollScope,
    opts: CallOptions,
  ): Promise<ReadonlySet<string>> {
    const known = await scope.ours(ids);
    const unknown = ids.filter((id) => !known.has(id));
    const marked = (await this.requestsById(unknown, opts))
      .filter((r) => MARKER.test(text(r, 'description') ?? ''))
      .map((r) => text(r, 'service_request_id')!);
    return new Set([...known, ...marked]);
  }

  /**
   * The given requests, by `service_request_id` (a comma-delimited list, the spec's), at most
   * `idsPerRequest` in one call. Only those asked for are kept: a server that ignores the
   * argument answers its recent requests, which are not all ours.
   */
  private async requestsById(
    refs: readonly string[],
    opts: CallOptions,
  ): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let i = 0; i < refs.length; i += this.options.idsPerRequest) {
      const batch = refs.slice(i, i + this.options.idsPerRequest);
      const res = await this.client.call(
        {
          operation: 'status updates',
          method: 'GET',
          path: this.path('requests'),
          query: { ...this.jurisdiction(), service_request_id: batch.join(',') },
        },
        opts,
      );
      const asked = new Set(batch);
      found.push(
        ...serviceRequestsIn(res.data).filter((r) =>
          asked.has(text(r, 'service_request_id') ?? ''),
        ),
      );
    }
    return found;
  }

  /** The requests the hub filed in the polling window, recognised by the reference it wrote. */
  private async ourRequests(opts: CallOptions): Promise<Record<string, unknown>[]> {
    const from = this.now().getTime() - this.options.pollWindowDays * DAY_MS;
    const res = await this.client.call(
      {
        operation: 'status updates',
        method: 'GET',
        path: this.path('requests'),
        query: {
          ...this.jurisdiction(),
          start_date: new Date(from).toISOString(),
          end_date: this.now().toISOString(),
        },
      },
      opts,
    );
    return serviceRequestsIn(res.data).filter((r) => MARKER.test(text(r, 'description') ?? ''));
  }

  private event(
    r: Record<string, unknown>,
    statusField: string,
    remarksField: string,
    atField: string,
    idField?: string,
  ): StatusUpdate | null {
    const externalRef = text(r, 'service_request_id');
    const nativeStatus = text(r, statusField);
    const at = text(r, atField);
    if (!externalRef || !nativeStatus || !at || Number.isNaN(Date.parse(at))) {
      throw this.client.unreadable(
        'status updates',
        'a request lacks service_request_id, status or its time',
        false,
      );
    }
    const occurredAt = new Date(at).toISOString();
    const remarks = text(r, remarksField);
    // Kept with the event: what it says, never the request's address or description (personal data).
    const raw = Object.fromEntries(RAW_FIELDS.filter((f) => f in r).map((f) => [f, r[f]]));
    return {
      eventId: (idField && text(r, idField)) || `${externalRef}:${nativeStatus}:${occurredAt}`,
      externalRef,
      status: this.toCanonical(nativeStatus),
      nativeStatus,
      occurredAt,
      ...(remarks && { remarks }),
      raw,
    };
  }

  private form(g: OutboundGrievance): Record<string, unknown> {
    const [first, ...rest] = g.complainant.name.trim().split(/\s+/);
    const marker = `\n\n${hubMarker(g)}`;
    const full = `${g.subject}\n\n${g.description}`;
    const room = MAX_DESCRIPTION - marker.length;
    const description = (full.length > room ? `${full.slice(0, room - 1)}…` : full) + marker;
    const attribute = this.options.clientRefAttribute
      ? { [`attribute[${this.options.clientRefAttribute}]`]: g.clientRef }
      : {};
    return {
      ...this.jurisdiction(),
      service_code: this.serviceCode(g),
      // Most specific to most general, as the spec asks; the PIN code last.
      address_string: `${g.location.address}, ${g.location.pincode}`,
      first_name: first,
      ...(rest.length && { last_name: rest.join(' ') }),
      phone: g.complainant.mobile,
      ...(g.complainant.email && { email: g.complainant.email }),
      description,
      ...attribute,
    };
  }

  private serviceCode(g: OutboundGrievance): string {
    const code = this.options.serviceCodes[g.category] ?? this.options.defaultServiceCode;
    if (code) return code;
    const message = `no Open311 service_code for category ${g.category}`;
    throw new PermanentError(`${this.portal.code} submit: ${message}`, { portalMessage: message });
  }

  private jurisdiction(): Record<string, string> {
    return this.options.jurisdictionId ? { jurisdiction_id: this.options.jurisdictionId } : {};
  }

  private path(resource: string): string {
    return `/${resource}.${this.options.format}`;
  }
}

export function createOpen311Adapter(portal: PortalInstance, deps: AdapterDeps): PortalAdapter {
  return new Open311Adapter(
    portal,
    deps,
    parseOptions(open311OptionsSchema, portal, portal.options),
  );
}
