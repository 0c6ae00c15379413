import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { PartnerPrincipal } from './partner-apps.service';

/** Set by PartnerKeyMiddleware: the app whose key came with the request, or a refused key. */
export interface PartnerRequest extends Request {
  partnerApp?: PartnerPrincipal;
  /** A key was sent but is unknown or revoked: the route answers 401/403 in its own format. */
  partnerKeyRefused?: boolean;
}

export const PARTNER_KEY_HEADER = 'x-api-key';

/**
 * The key a request carries: the X-Api-Key header, or Open311's `api_key` (form body or query).
 * An array (the parameter given twice) counts as no key.
 */
export function partnerKeyOf(req: Request): string | null {
  const header = req.headers[PARTNER_KEY_HEADER];
  if (typeof header === 'string' && header) return header.trim();
  const body = (req.body as Record<string, unknown> | undefined)?.api_key;
  if (typeof body === 'string' && body) return body.trim();
  const query = req.query?.api_key;
  return typeof query === 'string' && query ? query.trim() : null;
}

/**
 * The throttler's tracker and limit: a partner app has its own counter and limit, whatever its
 * citizens' addresses; everyone else is counted per client address at the default limit.
 */
export function throttleTracker(raw: Record<string, unknown>): string {
  const req = raw as unknown as PartnerRequest;
  return req.partnerApp ? `partner:${req.partnerApp.id}` : String(req.ip ?? '');
}

export function throttleLimit(defaultLimit: number) {
  return (context: ExecutionContext): number =>
    context.switchToHttp().getRequest<PartnerRequest>().partnerApp?.rateLimitPerMinute ??
    defaultLimit;
}
