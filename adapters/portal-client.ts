import { Agent } from 'node:https';
import { isAxiosError } from 'axios';
import {
  RetryableError,
  type CallOptions,
  type PortalHttpClient,
  type PortalInstance,
} from './adapter';
import { writePath } from './dot-path';
import { classifyHttpError, classifySoapFault } from './http-errors';
import { noAuth, staticKey, type OutgoingRequest, type PortalAuth } from './portal-auth';
import { buildXml, parseXml, soapFault } from './xml';

export interface PortalCall {
  /** Short name used in error messages, e.g. "submit". */
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  /** An object is encoded in the client's body format; a string is sent as it is (a SOAP envelope). */
  body?: unknown;
  /** Extra headers, e.g. SOAPAction; they override the defaults. */
  headers?: Record<string, string>;
  /** Statuses besides 2xx that the caller handles itself (404 on lookup). */
  accept?: readonly number[];
  /** Personal data in this request, scrubbed from any portal message. */
  pii?: readonly (string | null | undefined)[];
}

export interface PortalResponse {
  status: number;
  /** JSON as parsed; XML parsed into an object (namespace prefixes dropped); else the text. */
  data: unknown;
}

export type BodyFormat = 'json' | 'form' | 'xml';

export interface PortalClientOptions {
  /** Dot path of the portal's error text in its error body, tried first. */
  errorMessageField?: string;
  /** How object bodies are encoded. Default json. */
  format?: BodyFormat;
  /** Root element of an XML body built from an object. Default "request". */
  xmlRoot?: string;
  /** Default: the portal's credential, a static key in its header. */
  auth?: PortalAuth;
  /** Client certificate (PEM) for portals that demand mutual TLS. */
  tls?: { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer; passphrase?: string };
}

const CONTENT_TYPES: Record<BodyFormat, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  xml: 'application/xml; charset=utf-8',
};

/**
 * One portal's HTTP access: URL, body encoding, authentication, correlation id, time limit,
 * reading JSON or XML answers, error classification.
 */
export class PortalClient {
  private readonly options: PortalClientOptions;
  private readonly auth: PortalAuth;
  private readonly agent: Agent | undefined;

  constructor(
    private readonly portal: PortalInstance,
    private readonly http: PortalHttpClient,
    options: PortalClientOptions | string = {},
  ) {
    this.options = typeof options === 'string' ? { errorMessageField: options } : options;
    const credential = portal.credential;
    this.auth =
      this.options.auth ??
      (credential
        ? staticKey({ in: 'header', name: credential.header, value: credential.value })
        : noAuth);
    this.agent = this.options.tls && new Agent({ ...this.options.tls, keepAlive: true });
  }

  async call(call: PortalCall, opts: CallOptions): Promise<PortalResponse> {
    const res = await this.send(call, opts, false);
    const fault = soapFault(res.data);
    // Some SOAP services answer a fault with 200: a fault is a failure whatever the status.
    if (fault) throw classifySoapFault(fault, this.context(call), res.status);
    return res;
  }

  async health(path: string, opts: CallOptions): Promise<{ ok: boolean; detail?: string }> {
    try {
      const res = await this.call({ operation: 'health', method: 'GET', path }, opts);
      return { ok: true, detail: `HTTP ${res.status}` };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }

  /** A 2xx answer we cannot read: the portal may still have acted on it. */
  unreadable(operation: string, what: string, ambiguous: boolean): RetryableError {
    return new RetryableError(`${this.operation(operation)}: ${what}`, { ambiguous });
  }

  private async send(call: PortalCall, opts: CallOptions, retry: boolean): Promise<PortalResponse> {
    const accept = call.accept ?? [];
    const req = this.request(call, opts);
    await this.auth.apply(req, opts);
    try {
      const res = await this.http.request({
        method: call.method,
        url: req.url.toString(),
        data: req.body === '' ? undefined : req.body,
        headers: req.headers,
        timeout: opts.timeoutMs,
        maxRedirects: 0,
        responseType: 'json',
        // The bytes go out exactly as encoded (and signed) here.
        transformRequest: [(data: unknown) => data],
        validateStatus: (s) => (s >= 200 && s < 300) || accept.includes(s),
        ...(this.agent && { httpsAgent: this.agent }),
      });
      return { status: res.status, data: decodeBody(res.data, res.headers) };
    } catch (error) {
      if (!isAxiosError(error) || !error.response)
        throw classifyHttpError(error, this.context(call));
      error.response.data = decodeBody(error.response.data, error.response.headers);
      // An expired or revoked token: one more try with a fresh one.
      if (error.response.status === 401 && !retry && this.auth.invalidate?.())
        return this.send(call, opts, true);
      throw classifyHttpError(error, this.context(call));
    }
  }

  private request(call: PortalCall, opts: CallOptions): OutgoingRequest {
    const format = this.options.format ?? 'json';
    const url = new URL(joinUrl(this.portal.baseUrl, call.path));
    for (const [name, value] of Object.entries(call.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = {
      Accept: format === 'xml' ? 'application/xml, text/xml' : 'application/json',
      'X-Correlation-Id': opts.correlationId,
    };
    let body = '';
    if (call.body !== undefined) {
      body = typeof call.body === 'string' ? call.body : this.encode(call.body, format);
      headers['Content-Type'] = CONTENT_TYPES[format];
    }
    return { method: call.method, url, headers: { ...headers, ...call.headers }, body };
  }

  private encode(body: unknown, format: BodyFormat): string {
    const fields = this.auth.bodyFields?.() ?? {};
    const withCredential = { ...(body as Record<string, unknown>) };
    for (const [path, value] of Object.entries(fields)) writePath(withCredential, path, value);
    if (format === 'json') return JSON.stringify(withCredential);
    if (format === 'xml') return buildXml(this.options.xmlRoot ?? 'request', withCredential);
    return formEncode(withCredential);
  }

  private context(call: PortalCall) {
    return {
      operation: this.operation(call.operation),
      // A portal may echo our key or token in its error body: never into an error or a log.
      pii: [...(call.pii ?? []), ...(this.auth.secrets?.() ?? []), this.portal.credential?.value],
      errorMessageField: this.options.errorMessageField,
    };
  }

  private operation(name: string): string {
    return `${this.portal.code} ${name}`;
  }
}

/** Nested objects as dot-path keys (`applicant.name=…`), the way form-posting portals name fields. */
function formEncode(body: Record<string, unknown>): string {
  const form = new URLSearchParams();
  const add = (prefix: string, value: unknown) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) add(prefix ? `${prefix}.${k}` : k, v);
    } else if (Array.isArray(value)) value.forEach((v) => add(prefix, v));
    else form.append(prefix, String(value));
  };
  add('', body);
  return form.toString();
}

/** An XML answer (by content type, or an XML declaration) parsed; anything else as axios read it. */
function decodeBody(data: unknown, headers: unknown): unknown {
  if (typeof data !== 'string') return data;
  const type = String(readHeader(headers, 'content-type') ?? '');
  const xml = /\bxml\b/i.test(type) || (!type && data.trimStart().startsWith('<?xml'));
  return xml ? (parseXml(data) ?? data) : data;
}

function readHeader(headers: unknown, name: string): unknown {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  return typeof h.get === 'function' ? h.get(name) : h[name];
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Fills `{name}` placeholders, each value URL-encoded (portal references contain slashes). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? encodeURIComponent(values[name]) : match,
  );
}

/** A timestamp from the portal as ISO 8601; the caller's clock when absent or unreadable. */
export function isoOrNow(value: unknown, now: () => Date = () => new Date()): string {
  if (typeof value === 'string' || typeof value === 'number') {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime())) return at.toISOString();
  }
  return now().toISOString();
}
