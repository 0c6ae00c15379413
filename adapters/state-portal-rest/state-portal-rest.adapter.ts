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
import { readPath } from '../dot-path';
import { InvalidAdapterOptionsError, parseOptions } from '../options-error';
import { fillPath, isoOrNow, PortalClient, type PortalClientOptions } from '../portal-client';
import { hmacSigned, oauth2ClientCredentials, staticKey, type PortalAuth } from '../portal-auth';
import { secretAt } from '../secret-ref';
import { createStatusMapper } from '../status-map';
import { toPortalBody, UnmappedCategoryError } from './field-mapping';
import { statePortalOptionsSchema, type StatePortalOptions } from './state-portal-rest.options';

/** Any state portal with a JSON REST API, described entirely by its `options`. */
export class StatePortalRestAdapter implements PortalAdapter {
  private readonly client: PortalClient;
  private readonly toCanonical: (native: string) => CanonicalStatus;

  constructor(
    readonly kind: string,
    private readonly portal: PortalInstance,
    deps: AdapterDeps,
    private readonly options: StatePortalOptions,
  ) {
    this.client = new PortalClient(portal, deps.http, clientOptions(portal, deps, options));
    this.toCanonical = createStatusMapper(kind, options.statusMap);
    // The methods are the capabilities: an operation the portal lacks must be absent, not failing.
    const absent = {
      lookup: !options.lookupPath,
      fetchUpdates: !options.updatesPath,
      sendReminder: !options.reminderPath,
      submitAppeal: !options.appealPath,
    };
    for (const [method, missing] of Object.entries(absent)) {
      if (missing) Object.defineProperty(this, method, { value: undefined });
    }
  }

  async submit(g: OutboundGrievance, opts: CallOptions): Promise<SubmitResult> {
    const body = this.body(g);
    const pii = [g.complainant.name, g.complainant.mobile, g.complainant.email, g.location.address];
    const res = await this.client.call(
      { operation: 'submit', method: 'POST', path: this.options.submitPath, body, pii },
      opts,
    );
    return this.result('submit', res.data, this.options.referenceField, true);
  }

  async lookup(clientRef: string, opts: CallOptions): Promise<SubmitResult | null> {
    const path = fillPath(this.options.lookupPath!, { clientRef });
    const res = await this.client.call(
      { operation: 'lookup', method: 'GET', path, accept: [404] },
      opts,
    );
    if (res.status === 404) return null;
    return this.result(
      'lookup',
      res.data,
      this.options.lookupReferenceField ?? this.options.referenceField,
      false,
    );
  }

  async fetchUpdates(
    since: Cursor,
    opts: CallOptions,
  ): Promise<{ events: StatusUpdate[]; next: Cursor }> {
    const f = this.options.updateFields;
    const query = { [this.options.updatesCursorParam]: since ?? undefined };
    const res = await this.client.call(
      { operation: 'status updates', method: 'GET', path: this.options.updatesPath!, query },
      opts,
    );
    const events = readPath(res.data, f.events);
    if (!Array.isArray(events))
      throw this.client.unreadable('status updates', `no array at ${f.events}`, false);
    const next = readPath(res.data, f.next);
    return {
      events: events.map((raw) => this.toStatusUpdate(raw)),
      next: typeof next === 'string' && next !== '' ? next : since,
    };
  }

  async sendReminder(externalRef: string, opts: CallOptions): Promise<void> {
    const path = fillPath(this.options.reminderPath!, { externalRef });
    await this.client.call({ operation: 'reminder', method: 'POST', path, body: {} }, opts);
  }

  async submitAppeal(
    externalRef: string,
    reason: string,
    opts: CallOptions,
  ): Promise<SubmitResult> {
    const path = fillPath(this.options.appealPath!, { externalRef });
    const body: Record<string, unknown> = {};
    body[this.options.appealReasonField] = reason;
    const res = await this.client.call({ operation: 'appeal', method: 'POST', path, body }, opts);
    const field = this.options.appealReferenceField ?? this.options.referenceField;
    return this.result('appeal', res.data, field, true);
  }

  healthCheck(opts: CallOptions): Promise<{ ok: boolean; detail?: string }> {
    return this.client.health(this.options.healthPath, opts);
  }

  mapStatus(nativeStatus: string): CanonicalStatus {
    return this.toCanonical(nativeStatus);
  }

  private body(g: OutboundGrievance): Record<string, unknown> {
    try {
      return toPortalBody(g, this.options);
    } catch (error) {
      if (!(error instanceof UnmappedCategoryError)) throw error;
      throw new PermanentError(`${this.portal.code} submit: ${error.message}`, {
        portalMessage: error.message,
      });
    }
  }

  private result(
    operation: string,
    data: unknown,
    referenceField: string,
    ambiguous: boolean,
  ): SubmitResult {
    const ref = readPath(data, referenceField);
    if (typeof ref !== 'string' && typeof ref !== 'number') {
      throw this.client.unreadable(operation, `response without ${referenceField}`, ambiguous);
    }
    const acceptedAt = this.options.acceptedAtField
      ? readPath(data, this.options.acceptedAtField)
      : undefined;
    return { externalRef: String(ref), acceptedAt: isoOrNow(acceptedAt), raw: data };
  }

  private toStatusUpdate(raw: unknown): StatusUpdate {
    const f = this.options.updateFields;
    const text = (path: string) => {
      const v = readPath(raw, path);
      return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
    };
    const [eventId, externalRef, nativeStatus, occurredAt] = [
      f.eventId,
      f.externalRef,
      f.status,
      f.occurredAt,
    ].map(text);
    if (
      !eventId ||
      !externalRef ||
      !nativeStatus ||
      !occurredAt ||
      Number.isNaN(Date.parse(occurredAt))
    ) {
      throw this.client.unreadable(
        'status updates',
        'an event lacks eventId, externalRef, status or occurredAt',
        false,
      );
    }
    const remarks = text(f.remarks);
    const transferredTo = text(f.transferredTo);
    return {
      eventId,
      externalRef,
      status: this.toCanonical(nativeStatus),
      nativeStatus,
      occurredAt: new Date(occurredAt).toISOString(),
      ...(remarks && { remarks }),
      ...(transferredTo && { transferredTo }),
      raw,
    };
  }
}

/** Body format, auth and TLS as the portal's options say, secrets resolved at start. */
export function clientOptions(
  portal: PortalInstance,
  deps: AdapterDeps,
  options: Pick<StatePortalOptions, 'format' | 'xmlRoot' | 'auth' | 'tls' | 'errorMessageField'>,
): PortalClientOptions {
  const secret = (path: string) => secretAt(portal, path);
  const a = options.auth;
  let auth: PortalAuth | undefined;
  if (a?.type === 'static-key') {
    const value = a.value ? secret('auth.value') : portal.credential?.value;
    if (!value)
      throw new InvalidAdapterOptionsError(portal, [
        { path: 'options.auth.value', message: 'is required when the entry has no credential' },
      ]);
    auth = staticKey({ in: a.in, name: a.name, value });
  } else if (a?.type === 'oauth2-client-credentials') {
    auth = oauth2ClientCredentials({
      operation: `${portal.code} token`,
      tokenUrl: a.tokenUrl,
      clientId: a.clientId,
      clientSecret: secret('auth.clientSecret'),
      ...(a.scope && { scope: a.scope }),
      http: deps.http,
    });
  } else if (a?.type === 'hmac') {
    auth = hmacSigned({
      secret: secret('auth.secret'),
      keyId: a.keyId,
      signatureHeader: a.signatureHeader,
      timestampHeader: a.timestampHeader,
      keyIdHeader: a.keyIdHeader,
    });
  }
  const t = options.tls;
  return {
    format: options.format,
    ...(options.xmlRoot && { xmlRoot: options.xmlRoot }),
    ...(options.errorMessageField && { errorMessageField: options.errorMessageField }),
    ...(auth && { auth }),
    ...(t && {
      tls: {
        cert: secret('tls.cert'),
        key: secret('tls.key'),
        ...(t.ca && { ca: secret('tls.ca') }),
        ...(t.passphrase && { passphrase: secret('tls.passphrase') }),
      },
    }),
  };
}

export function createStatePortalRestAdapter(
  portal: PortalInstance,
  deps: AdapterDeps,
): PortalAdapter {
  const options = parseOptions(statePortalOptionsSchema, portal, portal.options);
  return new StatePortalRestAdapter('state-portal-rest', portal, deps, options);
}
