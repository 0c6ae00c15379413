import {
  startSandboxServer,
  type SandboxOptions,
  type SandboxPortal,
  type SandboxReply,
  type SandboxRequest,
  type SandboxRoute,
} from '../sandbox-kit';
import type { OfficerPlan } from '../sandbox-officer';
import type { RegistrationStore, SandboxRegistration } from '../sandbox-store';
import { formatOf, renderErrors, renderList, type GeoFormat } from './georeport';

// A municipal corporation's Open311 GeoReport v2 server, as the Lucknow Nagar Nigam would run
// one: XML and JSON by the path's suffix, realtime and batch services, tokens, GET requests, and
// mySociety's servicerequestupdates with the officers' notes. The contract: README.md.

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  group: string;
  keywords: string;
  type: 'realtime' | 'batch';
}

export const LKO_NN_SERVICES: readonly Open311Service[] = [
  service('SW01', 'Garbage not collected', 'sanitation', 'garbage, kooda, waste', 'realtime'),
  service('SL01', 'Streetlight not working', 'street', 'streetlight, light, lamp', 'realtime'),
  service('RD01', 'Pothole or damaged road', 'street', 'pothole, road, sadak', 'realtime'),
  service('DR01', 'Blocked drain or sewer', 'sanitation', 'drain, naali, sewer', 'batch'),
  service('WS01', 'No water supply or leakage', 'water', 'water, paani, pipeline', 'batch'),
];

/** mySociety's extended statuses that close a request (GeoReport `closed`). */
const CLOSING = new Set([
  'closed',
  'fixed',
  'duplicate',
  'no_further_action',
  'unable_to_fix',
  'not_councils_responsibility',
]);

/** Officers fix most requests; every fourth is another body's responsibility. */
export const LKO_NN_OFFICERS: OfficerPlan = {
  steps: (n) =>
    n % 4 === 3
      ? [
          { native: 'investigating' },
          {
            native: 'not_councils_responsibility',
            transferredTo: 'UP-IGRS',
            remarks: 'Concerns the Jal Nigam, not the Nagar Nigam: forwarded to IGRS',
          },
        ]
      : [
          { native: 'investigating', remarks: 'Zonal officer assigned' },
          { native: 'action_scheduled', remarks: 'Work order issued to the ward team' },
          { native: 'fixed', remarks: 'Work completed on site and checked by the junior engineer' },
        ],
  appealStatuses: [],
  appealSteps: [],
};

interface Pending {
  ref: string;
  /** Token answers still to give without the id (a batch not yet run). */
  pendingAnswers: number;
}

export interface Open311SandboxOptions extends SandboxOptions {
  /** How many times a batch token is answered without its id before it resolves; default 1. */
  batchPendingAnswers?: number;
}

const CLIENT_REF = /\[ONOP-HUB \S+ (\S+)\]/;

export function startOpen311Sandbox(opts: Open311SandboxOptions = {}): Promise<SandboxPortal> {
  const jurisdiction =
    typeof opts.portalOptions?.jurisdictionId === 'string'
      ? opts.portalOptions.jurisdictionId
      : undefined;
  const tokens = new Map<string, Pending>();
  const services = new Map(LKO_NN_SERVICES.map((s) => [s.service_code, s]));

  const fail = (format: GeoFormat, status: number, description: string): SandboxReply => ({
    status,
    body: renderErrors(format, status, description),
  });
  const list = (format: GeoFormat, root: string, records: Record<string, unknown>[]) => ({
    status: 200,
    body: renderList(format, root, records),
  });
  /** The spec's jurisdiction rule: required (400) when we serve one, and must be ours (404). */
  const wrongJurisdiction = (format: GeoFormat, given: unknown): SandboxReply | undefined => {
    if (!jurisdiction) return undefined;
    if (typeof given !== 'string' || given === '')
      return fail(format, 400, 'jurisdiction_id was not provided');
    if (given !== jurisdiction) return fail(format, 404, `jurisdiction_id ${given} not found`);
    return undefined;
  };

  const view = (r: SandboxRegistration) => {
    const body = r.body as Record<string, string>;
    const last = r.history.at(-1);
    return {
      service_request_id: r.externalRef,
      status: CLOSING.has(r.nativeStatus) ? 'closed' : 'open',
      status_notes: last?.remarks ?? null,
      service_name: services.get(body.service_code)?.service_name ?? null,
      service_code: body.service_code,
      description: body.description ?? null,
      agency_responsible: 'Lucknow Nagar Nigam',
      service_notice: null,
      requested_datetime: r.receivedAt,
      updated_datetime: last?.at ?? r.receivedAt,
      expected_datetime: null,
      address: body.address_string ?? null,
      address_id: body.address_id ?? null,
      zipcode: /(\d{6})\s*$/.exec(body.address_string ?? '')?.[1] ?? null,
      lat: body.lat ?? null,
      long: body.long ?? null,
      media_url: body.media_url ?? null,
    };
  };

  function submit(format: GeoFormat, req: SandboxRequest, store: RegistrationStore): SandboxReply {
    const b = (req.body ?? {}) as Record<string, string>;
    const wrong = wrongJurisdiction(format, b.jurisdiction_id);
    if (wrong) return wrong;
    if (!b.service_code) return fail(format, 400, 'service_code was not provided');
    const svc = services.get(b.service_code);
    if (!svc) return fail(format, 404, `service_code ${b.service_code} not found`);
    if (!b.address_string && !(b.lat && b.long) && !b.address_id)
      return fail(
        format,
        400,
        'A full location parameter must be submitted: lat & long, address_string or address_id',
      );
    const description = b.description ?? '';
    if (description.trim().length < 10 || description.length > 4_000)
      return fail(format, 400, 'description must be 10 to 4000 characters');
    if (b.phone !== undefined && !/^[6-9]\d{9}$/.test(b.phone))
      return fail(format, 400, 'phone must be a 10-digit mobile number');
    const at = new Date();
    const ref = `${at.getFullYear()}${String(store.nextSerial() % 1e6).padStart(6, '0')}`;
    const clientRef = b['attribute[ONOP_REF]'] ?? CLIENT_REF.exec(description)?.[1] ?? '';
    store.register({ externalRef: ref, clientRef, body: b, nativeStatus: 'open', at });
    if (svc.type === 'realtime') {
      return list(format, 'service_requests', [
        {
          service_request_id: ref,
          service_notice: 'The ward team will inspect within 48 hours',
          account_id: null,
        },
      ]);
    }
    const token = `TKN-${ref}`;
    tokens.set(token, { ref, pendingAnswers: opts.batchPendingAnswers ?? 1 });
    return list(format, 'service_requests', [
      { token, service_notice: 'Queued for the night batch', account_id: null },
    ]);
  }

  function token(format: GeoFormat, req: SandboxRequest): SandboxReply {
    const wrong = wrongJurisdiction(format, req.query.get('jurisdiction_id'));
    if (wrong) return wrong;
    const id = req.params.file.replace(/\.(xml|json)$/, '');
    const pending = tokens.get(id);
    if (!pending) return fail(format, 404, `token ${id} not found`);
    if (pending.pendingAnswers > 0) {
      pending.pendingAnswers--;
      return list(format, 'service_requests', [{ token: id }]);
    }
    return list(format, 'service_requests', [{ service_request_id: pending.ref, token: id }]);
  }

  function requests(
    format: GeoFormat,
    req: SandboxRequest,
    store: RegistrationStore,
  ): SandboxReply {
    const q = req.query;
    const wrong = wrongJurisdiction(format, q.get('jurisdiction_id'));
    if (wrong) return wrong;
    const ids = q.get('service_request_id')?.split(',').filter(Boolean);
    const start = Date.parse(q.get('start_date') ?? '') || Date.now() - 90 * 86_400_000;
    const end = Date.parse(q.get('end_date') ?? '') || Number.POSITIVE_INFINITY;
    const codes = q.get('service_code')?.split(',');
    const statuses = q.get('status')?.split(',');
    // service_request_id overrides every other argument (the spec).
    const found = store
      .all()
      .filter((r) =>
        ids
          ? ids.includes(r.externalRef)
          : Date.parse(r.receivedAt) >= start &&
            Date.parse(r.receivedAt) <= end &&
            (!codes || codes.includes((r.body as Record<string, string>).service_code)),
      )
      .map(view)
      .filter((v) => ids || !statuses || statuses.includes(v.status))
      .slice(0, 1_000);
    return list(format, 'service_requests', found);
  }

  function updates(format: GeoFormat, req: SandboxRequest, store: RegistrationStore): SandboxReply {
    const q = req.query;
    const wrong = wrongJurisdiction(format, q.get('jurisdiction_id'));
    if (wrong) return wrong;
    const start = Date.parse(q.get('start_date') ?? '') || 0;
    const end = Date.parse(q.get('end_date') ?? '') || Number.POSITIVE_INFINITY;
    const found = store
      .all()
      .flatMap((r) => r.history)
      .filter((c) => Date.parse(c.at) > start && Date.parse(c.at) <= end)
      .map((c) => ({
        update_id: `${c.externalRef}_${c.seq}`,
        service_request_id: c.externalRef,
        status: c.nativeStatus,
        updated_datetime: c.at,
        description: c.remarks ?? '',
        media_url: '',
      }));
    return list(format, 'service_request_updates', found);
  }

  const routes: SandboxRoute[] = (['xml', 'json'] as const).flatMap((f): SandboxRoute[] => [
    {
      method: 'GET',
      path: `/services.${f}`,
      handle: (req) =>
        wrongJurisdiction(f, req.query.get('jurisdiction_id')) ??
        list(
          f,
          'services',
          LKO_NN_SERVICES.map((s) => ({ ...s, metadata: false })),
        ),
    },
    { method: 'POST', path: `/requests.${f}`, submit: true, handle: (req, s) => submit(f, req, s) },
    { method: 'GET', path: `/requests.${f}`, handle: (req, s) => requests(f, req, s) },
    { method: 'GET', path: `/servicerequestupdates.${f}`, handle: (req, s) => updates(f, req, s) },
  ]);
  routes.push(
    {
      method: 'GET',
      path: '/tokens/:file',
      handle: (req) => token(formatOf(req.params.file), req),
    },
    {
      method: 'GET',
      path: '/requests/:file',
      handle: (req, store) => {
        const format = formatOf(req.params.file);
        const id = req.params.file.replace(/\.(xml|json)$/, '');
        const r = store.byExternalRef(id);
        return r
          ? list(format, 'service_requests', [view(r)])
          : fail(format, 404, `service_request_id ${id} not found`);
      },
    },
  );

  return startSandboxServer(
    {
      kind: 'open311',
      routes,
      error: (status, message, path) => renderErrors(formatOf(path), status, message),
      parseBody: (raw, type) => {
        if (!/application\/x-www-form-urlencoded/i.test(type ?? ''))
          throw new Error('POST requests must be application/x-www-form-urlencoded');
        return Object.fromEntries(new URLSearchParams(raw));
      },
      // The spec: only POST requests needs the api_key (a form field); reading needs none.
      authorized: (req, credential) =>
        req.method !== 'POST' ||
        (req.body as Record<string, string> | undefined)?.[credential.header] === credential.value,
      credentialStatus: 403,
      validationFaultMessage:
        'address_string could not be matched to a ward of the Lucknow Nagar Nigam',
      officers: LKO_NN_OFFICERS,
    },
    opts,
  );
}

function service(
  service_code: string,
  service_name: string,
  group: string,
  keywords: string,
  type: Open311Service['type'],
): Open311Service {
  return { service_code, service_name, description: service_name, group, keywords, type };
}
