import type { ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { PartnerPrincipal } from './partner-apps.service';

/** Set by PartnerKeyMiddleware: the app whose key came with the request, or a refused key. */
export interface PartnerFields {
  partnerApp?: PartnerPrincipal;
  /** A key was sent but is unknown or revoked: the route answers 401/403 in its own format. */
  partnerKeyRefused?: boolean;
  /** The look-up failed (the database away): raised by partnerOf, in the route's context. */
  partnerKeyFailure?: { error: unknown };
}

/** What Nest middleware sees: the raw request, with the body and query the hub's hooks parsed. */
export type MiddlewareRequest = IncomingMessage &
  PartnerFields & { body?: unknown; query?: Record<string, unknown>; ip?: string };

export type PartnerRequest = FastifyRequest;

/**
 * Nest middleware runs on the raw request (middie): what PartnerKeyMiddleware found is there.
 * A look-up that failed is thrown here, where the route's guards and handler run, so the route
 * answers it in its own format (Open311's errors list, problem+json) with its own filter; thrown
 * in the middleware, only the global filter would see it.
 */
export function partnerOf(req: FastifyRequest): PartnerFields {
  const fields = req.raw as PartnerFields;
  if (fields.partnerKeyFailure) throw fields.partnerKeyFailure.error;
  return fields;
}

export const PARTNER_KEY_HEADER = 'x-api-key';

/**
 * The key a request carries: the X-Api-Key header, or Open311's `api_key` (form body or query).
 * An array (the parameter given twice) counts as no key.
 */
export function partnerKeyOf(req: {
  headers: IncomingMessage['headers'];
  body?: unknown;
  query?: unknown;
}): string | null {
  const header = req.headers[PARTNER_KEY_HEADER];
  if (typeof header === 'string' && header) return header.trim();
  const body = (req.body as Record<string, unknown> | undefined)?.api_key;
  if (typeof body === 'string' && body) return body.trim();
  const query = (req.query as Record<string, unknown> | undefined)?.api_key;
  return typeof query === 'string' && query ? query.trim() : null;
}

/**
 * The throttler's tracker and limit: a partner app has its own counter and limit, whatever its
 * citizens' addresses; everyone else is counted per client address at the default limit.
 */
export function throttleTracker(raw: Record<string, unknown>): string {
  const req = raw as unknown as FastifyRequest;
  const app = partnerOf(req).partnerApp;
  return app ? `partner:${app.id}` : String(req.ip ?? '');
}

export function throttleLimit(defaultLimit: number) {
  return (context: ExecutionContext): number =>
    partnerOf(context.switchToHttp().getRequest<FastifyRequest>()).partnerApp?.rateLimitPerMinute ??
    defaultLimit;
}
