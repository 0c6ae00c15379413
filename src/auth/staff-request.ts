import { SetMetadata } from '@nestjs/common';
import type { FastifyRequest as Request } from 'fastify';
import { TRACKING_ID_PATTERN } from '../platform/crypto/tokens';
import { clientRequestIdOf } from '../platform/logging/logging';
import { auditSafeValue } from './audit-redaction';
import type { StaffPrincipal } from './staff-principal';

// What the staff guard and the audit interceptor both read off a staff request. A file of its own
// so that neither imports the other's module for it (the guard's StaffOnly applies the interceptor).

export interface StaffRequest extends Request {
  staff?: StaffPrincipal;
  /** Validated facts a handler adds to its request's one audit entry (e.g. an unmask's reason). */
  auditDetail?: Record<string, unknown>;
}

/** The request id pino-http made for this request (X-Request-Id), and the one the client sent. */
export const requestIdsOf = (req: Request) => ({
  requestId: req.id ? String(req.id) : null,
  clientRequestId: clientRequestIdOf(req.raw),
});

/** The route pattern (`/api/v1/complaints/:trackingId`), or the path when none matched. */
export const routeOf = (req: Request): string => req.routeOptions?.url ?? req.url.split('?')[0];

/**
 * What an audit entry is about: the grievance or dispatch in the route, if any. It is what staff
 * typed, before anything checked it: a mobile number or a name typed there is not kept.
 */
export function auditTargetOf(req: Request): string | null {
  const params = req.params as Record<string, unknown> | undefined;
  const target = params?.trackingId ?? params?.id;
  if (typeof target !== 'string') return null;
  // A tracking id stays as it is, even one whose digits happen to read like a mobile number
  // (ONOP-9234-5678-92AB): the retention purge finds an erased grievance's entries by it.
  return TRACKING_ID_PATTERN.test(target) ? target : (auditSafeValue(target) as string);
}

export const AUDIT_ACTION_KEY = 'hub:audit-action';
/** Names the action in the audit log (default: method and route). */
export const Audited = (action: string) => SetMetadata(AUDIT_ACTION_KEY, action);
