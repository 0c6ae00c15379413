import { z } from 'zod';
import {
  PermanentError,
  type AdapterDeps,
  type CallOptions,
  type CanonicalStatus,
  type Cursor,
  type OutboundGrievance,
  type PortalAdapter,
  type PortalInstance,
  type StatusUpdate,
  type SubmitResult,
} from '../adapter';
import { parseOptions } from '../options-error';
import { fillPath, isoOrNow, PortalClient } from '../portal-client';
import {
  cpgramsOptionsSchema,
  organisationCode,
  type CpgramsOptions,
} from './cpgrams.organisations';
import { mapCpgramsStatus } from './cpgrams.status-map';

const GRIEVANCES = '/api/v1/grievances';
const registration = z.object({
  registrationNumber: z.string().min(1),
  receivedAt: z.string().optional(),
});
const appeal = z.object({ appealNumber: z.string().min(1), receivedAt: z.string().optional() });
const change = z.object({
  changeId: z.union([z.string().min(1), z.number()]),
  registrationNumber: z.string().min(1),
  status: z.string(),
  changedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp'),
  remarks: z.string().nullish(),
  transferredTo: z.string().nullish(),
});
const changesPage = z.object({
  changes: z.array(z.unknown()),
  nextCursor: z.string().nullish(),
  hasMore: z.boolean().optional(),
});

/** CPGRAMS (central): submit, look up by client reference, poll status changes, remind, appeal. */
export class CpgramsAdapter implements PortalAdapter {
  readonly kind = 'cpgrams';
  private readonly client: PortalClient;

  constructor(
    private readonly portal: PortalInstance,
    deps: AdapterDeps,
    private readonly options: CpgramsOptions,
  ) {
    this.client = new PortalClient(portal, deps.http);
  }

  async submit(g: OutboundGrievance, opts: CallOptions): Promise<SubmitResult> {
    const organisation = organisationCode(g, this.options);
    if (!organisation) {
      const reason = `no CPGRAMS organisation for state code ${g.location.stateCode} and no ministry`;
      throw new PermanentError(`${this.portal.code} submit: ${reason}`, { portalMessage: reason });
    }
    const body = toCpgramsGrievance(g, organisation);
    const pii = [g.complainant.name, g.complainant.mobile, g.complainant.email, g.location.address];
    const res = await this.client.call(
      { operation: 'submit', method: 'POST', path: GRIEVANCES, body, pii },
      opts,
    );
    const parsed = registration.safeParse(res.data);
    if (!parsed.success)
      throw this.client.unreadable('submit', 'response without a registration number', true);
    return {
      externalRef: parsed.data.registrationNumber,
      acceptedAt: isoOrNow(parsed.data.receivedAt),
      raw: res.data,
    };
  }

  async lookup(clientRef: string, opts: CallOptions): Promise<SubmitResult | null> {
    const res = await this.client.call(
      {
        operation: 'lookup',
        method: 'GET',
        path: GRIEVANCES,
        query: { clientReference: clientRef },
        accept: [404],
      },
      opts,
    );
    if (res.status === 404) return null;
    const parsed = registration.safeParse(res.data);
    if (!parsed.success)
      throw this.client.unreadable('lookup', 'response without a registration number', false);
    return {
      externalRef: parsed.data.registrationNumber,
      acceptedAt: isoOrNow(parsed.data.receivedAt),
      raw: res.data,
    };
  }

  async fetchUpdates(
    since: Cursor,
    opts: CallOptions,
  ): Promise<{ events: StatusUpdate[]; next: Cursor }> {
    const events: StatusUpdate[] = [];
    let cursor = since;
    for (let page = 0; page < this.options.maxPagesPerPoll; page++) {
      const query = { since: cursor ?? undefined, limit: this.options.pageSize };
      const res = await this.client.call(
        { operation: 'status changes', method: 'GET', path: '/api/v1/status-changes', query },
        opts,
      );
      const parsed = changesPage.safeParse(res.data);
      if (!parsed.success) throw this.client.unreadable('status changes', 'unreadable page', false);
      events.push(...parsed.data.changes.map((c) => this.toStatusUpdate(c)));
      // An empty page may come without a cursor: keep ours rather than start over.
      cursor = parsed.data.nextCursor ?? cursor;
      if (!parsed.data.hasMore || parsed.data.changes.length === 0) break;
    }
    return { events, next: cursor };
  }

  async sendReminder(externalRef: string, opts: CallOptions): Promise<void> {
    const path = fillPath(`${GRIEVANCES}/{regNo}/reminders`, { regNo: externalRef });
    await this.client.call({ operation: 'reminder', method: 'POST', path, body: {} }, opts);
  }

  async submitAppeal(
    externalRef: string,
    reason: string,
    opts: CallOptions,
  ): Promise<SubmitResult> {
    const path = fillPath(`${GRIEVANCES}/{regNo}/appeal`, { regNo: externalRef });
    const res = await this.client.call(
      { operation: 'appeal', method: 'POST', path, body: { reason } },
      opts,
    );
    const parsed = appeal.safeParse(res.data);
    if (!parsed.success)
      throw this.client.unreadable('appeal', 'response without an appeal number', true);
    return {
      externalRef: parsed.data.appealNumber,
      acceptedAt: isoOrNow(parsed.data.receivedAt),
      raw: res.data,
    };
  }

  healthCheck(opts: CallOptions): Promise<{ ok: boolean; detail?: string }> {
    return this.client.health('/health', opts);
  }

  mapStatus(nativeStatus: string): CanonicalStatus {
    return mapCpgramsStatus(nativeStatus);
  }

  private toStatusUpdate(raw: unknown): StatusUpdate {
    const parsed = change.safeParse(raw);
    if (!parsed.success)
      throw this.client.unreadable('status changes', 'unreadable status change', false);
    const c = parsed.data;
    return {
      eventId: String(c.changeId),
      externalRef: c.registrationNumber,
      status: mapCpgramsStatus(c.status),
      nativeStatus: c.status,
      occurredAt: new Date(c.changedAt).toISOString(),
      ...(c.remarks && { remarks: c.remarks }),
      ...(c.transferredTo && { transferredTo: c.transferredTo }),
      raw,
    };
  }
}

/** The CPGRAMS registration request; README.md documents each field's origin. */
export function toCpgramsGrievance(g: OutboundGrievance, organisation: string) {
  return {
    clientReference: g.clientRef,
    hubTrackingId: g.trackingId,
    organisationCode: organisation,
    subject: g.subject,
    description: g.description,
    category: g.category,
    lodgedAt: g.lodgedAt,
    complainant: {
      name: g.complainant.name,
      mobile: g.complainant.mobile,
      email: g.complainant.email,
      preferredLanguage: g.complainant.language,
    },
    address: {
      text: g.location.address,
      pincode: g.location.pincode,
      stateCode: g.location.stateCode,
      districtCode: g.location.districtCode,
    },
  };
}

export function createCpgramsAdapter(portal: PortalInstance, deps: AdapterDeps): PortalAdapter {
  return new CpgramsAdapter(
    portal,
    deps,
    parseOptions(cpgramsOptionsSchema, portal, portal.options),
  );
}
