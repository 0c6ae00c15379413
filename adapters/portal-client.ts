import {
  RetryableError,
  type CallOptions,
  type PortalHttpClient,
  type PortalInstance,
} from './adapter';
import { classifyHttpError } from './http-errors';

export interface PortalCall {
  /** Short name used in error messages, e.g. "submit". */
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Statuses besides 2xx that the caller handles itself (404 on lookup). */
  accept?: readonly number[];
  /** Personal data in this request, scrubbed from any portal message. */
  pii?: readonly (string | null | undefined)[];
}

export interface PortalResponse {
  status: number;
  data: unknown;
}

/** One portal's HTTP access: URL, credential, correlation id, time limit, error classification. */
export class PortalClient {
  constructor(
    private readonly portal: PortalInstance,
    private readonly http: PortalHttpClient,
    private readonly errorMessageField?: string,
  ) {}

  async call(call: PortalCall, opts: CallOptions): Promise<PortalResponse> {
    const accept = call.accept ?? [];
    try {
      const res = await this.http.request({
        method: call.method,
        url: joinUrl(this.portal.baseUrl, call.path),
        params: call.query,
        data: call.body,
        headers: this.headers(opts),
        timeout: opts.timeoutMs,
        maxRedirects: 0,
        responseType: 'json',
        validateStatus: (s) => (s >= 200 && s < 300) || accept.includes(s),
      });
      return { status: res.status, data: res.data };
    } catch (error) {
      throw classifyHttpError(error, {
        operation: this.operation(call.operation),
        pii: call.pii,
        errorMessageField: this.errorMessageField,
      });
    }
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

  private operation(name: string): string {
    return `${this.portal.code} ${name}`;
  }

  private headers(opts: CallOptions): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'X-Correlation-Id': opts.correlationId,
    };
    if (this.portal.credential)
      headers[this.portal.credential.header] = this.portal.credential.value;
    return headers;
  }
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
