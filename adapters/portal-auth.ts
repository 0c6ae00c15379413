import { createHmac } from 'node:crypto';
import { RetryableError, type CallOptions, type PortalHttpClient } from './adapter';
import { classifyTokenError } from './http-errors';

/** A request as PortalClient is about to send it: the body already encoded, the URL final. */
export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** The exact bytes that will be sent ('' without a body). */
  body: string;
}

/** How a portal wants to be authenticated. PortalClient calls it on every request. */
export interface PortalAuth {
  /** Credential fields for the request body, added before it is encoded (credential in a body field). */
  bodyFields?(): Record<string, string>;
  /** Adds what the portal checks: a header, a query parameter, a signature over the bytes. */
  apply(req: OutgoingRequest, opts: CallOptions): Promise<void> | void;
  /** After a 401: forget cached credentials; true when one retry with fresh ones can help. */
  invalidate?(): boolean;
  /** The secrets it sends (a key, a token): scrubbed from anything a portal echoes back. */
  secrets?(): string[];
}

export type KeyPlacement = 'header' | 'query' | 'body';

/** A fixed API key in a header, a query parameter or a body field. */
export function staticKey(key: { in: KeyPlacement; name: string; value: string }): PortalAuth {
  return {
    bodyFields: () => (key.in === 'body' ? { [key.name]: key.value } : {}),
    secrets: () => [key.value],
    apply(req) {
      if (key.in === 'header') req.headers[key.name] = key.value;
      if (key.in === 'query') req.url.searchParams.set(key.name, key.value);
    },
  };
}

/** No credential at all. */
export const noAuth: PortalAuth = { apply: () => undefined };

export interface OAuth2ClientCredentials {
  /** e.g. "KA-SPANDANA token": leads the token call's error messages. */
  operation: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  http: PortalHttpClient;
  now?: () => number;
}

/** Renewed this long before the portal says it expires, so no call carries a token about to lapse. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * OAuth2 client credentials (RFC 6749 §4.4): a bearer token fetched once, shared by concurrent
 * calls, cached until shortly before `expires_in`, and fetched again after the portal answers 401.
 */
export function oauth2ClientCredentials(o: OAuth2ClientCredentials): PortalAuth {
  const now = o.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(opts: CallOptions): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: o.clientId,
      client_secret: o.clientSecret,
      ...(o.scope && { scope: o.scope }),
    });
    let res: { data: unknown };
    try {
      res = await o.http.request({
        method: 'POST',
        url: o.tokenUrl,
        data: form.toString(),
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          'X-Correlation-Id': opts.correlationId,
        },
        timeout: opts.timeoutMs,
        maxRedirects: 0,
        responseType: 'json',
      });
    } catch (error) {
      throw classifyTokenError(error, { operation: o.operation, pii: [o.clientSecret] });
    }
    const data = (res.data ?? {}) as { access_token?: unknown; expires_in?: unknown };
    if (typeof data.access_token !== 'string' || data.access_token === '') {
      throw new RetryableError(`${o.operation}: answer without access_token`, { ambiguous: false });
    }
    const lifetimeS = typeof data.expires_in === 'number' ? data.expires_in : 3600;
    cached = {
      token: data.access_token,
      expiresAt: now() + Math.max(0, lifetimeS * 1000 - EXPIRY_MARGIN_MS),
    };
    return data.access_token;
  }

  return {
    async apply(req, opts) {
      let token = cached && cached.expiresAt > now() ? cached.token : undefined;
      if (!token) {
        pending ??= fetchToken(opts).finally(() => (pending = undefined));
        token = await pending;
      }
      req.headers.Authorization = `Bearer ${token}`;
    },
    invalidate() {
      cached = undefined;
      return true;
    },
    secrets: () => [o.clientSecret, ...(cached ? [cached.token] : [])],
  };
}

export interface HmacSigning {
  secret: string;
  /** Sent in `keyIdHeader` so the portal knows which secret to check against. */
  keyId?: string;
  signatureHeader?: string;
  timestampHeader?: string;
  keyIdHeader?: string;
  now?: () => number;
}

/**
 * Signs every request: `<signatureHeader>: sha256=<hex HMAC-SHA256(secret, timestamp "\n" METHOD
 * "\n" path?query "\n" body)>`, timestamp in unix seconds — the hub's own push scheme extended
 * with method and path, so a signature cannot be replayed on another endpoint.
 */
export function hmacSigned(o: HmacSigning): PortalAuth {
  const now = o.now ?? Date.now;
  return {
    secrets: () => [o.secret],
    apply(req) {
      const timestamp = String(Math.floor(now() / 1000));
      const signature = hmacRequestSignature(o.secret, timestamp, req);
      req.headers[o.timestampHeader ?? 'X-Timestamp'] = timestamp;
      req.headers[o.signatureHeader ?? 'X-Signature'] = `sha256=${signature}`;
      if (o.keyId) req.headers[o.keyIdHeader ?? 'X-Key-Id'] = o.keyId;
    },
  };
}

export function hmacRequestSignature(
  secret: string,
  timestamp: string,
  req: Pick<OutgoingRequest, 'method' | 'url' | 'body'>,
): string {
  const target = `${req.url.pathname}${req.url.search}`;
  return createHmac('sha256', secret)
    .update(`${timestamp}\n${req.method.toUpperCase()}\n${target}\n${req.body}`)
    .digest('hex');
}
