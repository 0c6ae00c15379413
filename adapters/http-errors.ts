import { isAxiosError } from 'axios';
import { PermanentError, RetryableError } from './adapter';
import { readPath } from './dot-path';
import { soapFault, type SoapFault } from './xml';

const MAX_PORTAL_MESSAGE = 200;
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const MESSAGE_PATHS = [
  'message',
  'error.message',
  'errorMessage',
  'detail',
  'title',
  'errors.0.message',
  'error',
  // XML bodies, parsed with namespace prefixes dropped.
  'Envelope.Body.Fault.faultstring',
  'Envelope.Body.Fault.Reason.Text',
  'Error.Message',
  'error.Message',
  'Response.Message',
];

export interface ClassifyContext {
  /** e.g. "CPGRAMS submit": leads every message. */
  operation: string;
  /** Personal data that was sent in this call; scrubbed from anything the portal echoes back. */
  pii?: readonly (string | null | undefined)[];
  /** Dot path of the portal's error text in its error body, tried first. */
  errorMessageField?: string;
}

/**
 * Turns a failed portal call into RetryableError or PermanentError. Messages carry the operation,
 * the HTTP status and a short, scrubbed portal message — never our request body.
 */
export function classifyHttpError(error: unknown, ctx: ClassifyContext): Error {
  if (!isAxiosError(error)) return error instanceof Error ? error : new Error(String(error));
  const { operation } = ctx;
  const response = error.response;
  if (!response) {
    const code = error.code ?? 'ERR_NETWORK';
    if (NOT_SENT_CODES.has(code)) {
      return new RetryableError(`${operation}: portal unreachable (${code})`, { ambiguous: false });
    }
    const what = code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'timed out' : 'connection lost';
    // Timeouts, resets, hang-ups and anything unknown: the portal may have the grievance.
    return new RetryableError(`${operation}: ${what} (${code})`, { ambiguous: true });
  }
  const status = response.status;
  const fault = soapFault(response.data);
  if (fault) return classifySoapFault(fault, ctx, status);
  const portalMessage = extractPortalMessage(response.data, ctx) || `HTTP ${status}`;
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(response.headers?.['retry-after']);
    return new RetryableError(`${operation}: HTTP ${status} (${portalMessage})`, {
      ambiguous: false,
      httpStatus: status,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }
  if (status >= 500 || status === 408) {
    return new RetryableError(`${operation}: HTTP ${status} (${portalMessage})`, {
      ambiguous: true,
      httpStatus: status,
    });
  }
  if (status >= 400) {
    return new PermanentError(`${operation}: HTTP ${status} (${portalMessage})`, {
      portalMessage,
      httpStatus: status,
    });
  }
  return new RetryableError(`${operation}: unexpected HTTP ${status}`, {
    ambiguous: true,
    httpStatus: status,
  });
}

/**
 * A failed OAuth2 token request (RFC 6749 §5.2). The grievance was never sent, so nothing is
 * ambiguous. A 4xx (`invalid_client`, `invalid_grant`, `unauthorized_client`, …) is the portal
 * refusing the hub's client: a configuration error no retry mends, permanent. A 5xx, 429, a
 * timeout or an unreachable token endpoint are transient, retried without a lookup.
 */
export function classifyTokenError(error: unknown, ctx: ClassifyContext): Error {
  if (isAxiosError(error) && error.response && error.response.status < 500) {
    const { status, data } = error.response;
    if (status >= 400 && status !== 408 && status !== 429) {
      const body = (data ?? {}) as { error?: unknown; error_description?: unknown };
      const parts = [body.error, body.error_description].filter(
        (v): v is string => typeof v === 'string' && v.trim() !== '',
      );
      const portalMessage =
        extractPortalMessage(parts.length ? parts.join(': ') : data, ctx) || `HTTP ${status}`;
      return new PermanentError(`${ctx.operation}: HTTP ${status} (${portalMessage})`, {
        portalMessage: `the portal refused the hub's OAuth client (${portalMessage}); check its clientId and clientSecret`,
        httpStatus: status,
      });
    }
  }
  const classified = classifyHttpError(error, ctx);
  if (!(classified instanceof RetryableError) && !(classified instanceof PermanentError))
    return new RetryableError(`${ctx.operation}: ${classified.message}`, { ambiguous: false });
  return classified instanceof RetryableError
    ? new RetryableError(classified.message, { ...classified.details, ambiguous: false })
    : classified;
}

/**
 * A SOAP fault by its code: the sender's fault (SOAP 1.1 Client, 1.2 Sender) is permanent; the
 * receiver's (Server, Receiver) may pass, and the portal may have acted before failing, so it is
 * ambiguous like a 500; anything else (VersionMismatch, MustUnderstand …) cannot pass by retrying.
 */
export function classifySoapFault(
  fault: SoapFault,
  ctx: ClassifyContext,
  httpStatus: number,
): Error {
  const portalMessage =
    extractPortalMessage(fault.message, { pii: ctx.pii }) || `SOAP fault ${fault.code}`;
  const message = `${ctx.operation}: SOAP fault ${fault.code || '(no code)'} (${portalMessage})`;
  if (/^(Server|Receiver)\b/.test(fault.code)) {
    return new RetryableError(message, { ambiguous: true, httpStatus });
  }
  return new PermanentError(message, { portalMessage, httpStatus });
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The portal's own words from an error body, short and without personal data. */
export function extractPortalMessage(
  body: unknown,
  ctx: Pick<ClassifyContext, 'pii' | 'errorMessageField'>,
): string {
  let text: string | undefined;
  if (typeof body === 'string') text = body.trim().startsWith('<') ? undefined : body;
  else {
    const paths = ctx.errorMessageField ? [ctx.errorMessageField, ...MESSAGE_PATHS] : MESSAGE_PATHS;
    text = paths
      .map((p) => readPath(body, p))
      .find((v): v is string => typeof v === 'string' && v.trim() !== '');
  }
  if (!text) return '';
  const flat = redactPersonalData(text.replace(/\s+/g, ' ').trim(), ctx.pii ?? []);
  return flat.length > MAX_PORTAL_MESSAGE ? `${flat.slice(0, MAX_PORTAL_MESSAGE - 1)}…` : flat;
}

/** Removes the values we sent plus anything shaped like a mobile number or an e-mail address. */
export function redactPersonalData(
  text: string,
  pii: readonly (string | null | undefined)[],
): string {
  let out = text;
  for (const value of pii) {
    if (!value || value.trim().length < 3) continue;
    out = out.split(value.trim()).join('[redacted]');
  }
  return out
    .replace(/[^\s@"'<>]+@[^\s@"'<>]+\.[A-Za-z]{2,}/g, '[redacted]')
    .replace(/(?<!\d)(?:\+?91[-\s]?)?[6-9]\d{9}(?!\d)/g, '[redacted]');
}
