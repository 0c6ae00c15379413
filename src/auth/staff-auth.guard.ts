import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  applyDecorators,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth } from '@nestjs/swagger';
import { DomainError } from '../platform/errors/domain-error';
import { ApiProblems } from '../platform/errors/problem.openapi';
import { ApiKeysService } from './api-keys.service';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';
import { roleAllows, type StaffRole } from './staff-principal';
import { auditTargetOf, requestIdsOf, routeOf, type StaffRequest } from './staff-request';

const ROLE_KEY = 'hub:staff-role';

export class UnauthorizedStaffError extends DomainError {
  constructor() {
    super(
      'unauthorized',
      401,
      'Unauthorized',
      'A valid staff API key is required: Authorization: Bearer <key>.',
      { headers: { 'WWW-Authenticate': 'Bearer realm="grievance-hub"' } },
    );
  }
}

export class ForbiddenRoleError extends DomainError {
  constructor(required: StaffRole) {
    super('forbidden', 403, 'Forbidden', `This action needs the ${required} role.`);
  }
}

/** The key from `Authorization: Bearer <key>`, or the password of Basic auth (browsers, bull-board). */
export function apiKeyFrom(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return null;
  if (scheme.toLowerCase() === 'bearer') return value.trim();
  if (scheme.toLowerCase() !== 'basic') return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : null;
}

/** 401 without a valid key, 403 (audited) when the key's role is not enough. */
@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly audit: AuditService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<StaffRequest>();
    const required =
      this.reflector.getAllAndOverride<StaffRole>(ROLE_KEY, [ctx.getHandler(), ctx.getClass()]) ??
      'staff';
    const key = apiKeyFrom(req.headers.authorization);
    const principal = key ? await this.keys.authenticate(key) : null;
    if (!principal) throw new UnauthorizedStaffError();
    req.staff = principal;
    if (!roleAllows(principal.role, required)) {
      await this.audit.record(principal, {
        action: `${req.method} ${routeOf(req)}`,
        target: auditTargetOf(req),
        outcome: 'denied',
        detail: { required },
        ...requestIdsOf(req),
      });
      throw new ForbiddenRoleError(required);
    }
    return true;
  }
}

/** A staff endpoint: API key required (role `staff` unless given), every call audited. */
export function StaffOnly(role: StaffRole = 'staff') {
  return applyDecorators(
    SetMetadata(ROLE_KEY, role),
    UseGuards(StaffAuthGuard),
    UseInterceptors(AuditInterceptor),
    ApiBearerAuth(),
    ApiProblems({
      401: 'No valid staff API key (Authorization: Bearer <key>)',
      ...(role === 'admin' ? { 403: 'The key does not have the admin role' } : {}),
      429: 'Too many requests (Retry-After)',
      503: 'The database is unreachable; retry shortly (Retry-After)',
    }),
  );
}

/**
 * A handler of a {@link StaffOnly} controller that needs the admin role. Only the role: a second
 * StaffOnly would run the guard and the audit interceptor twice (two audit entries).
 */
export const AdminOnly = () =>
  applyDecorators(
    SetMetadata(ROLE_KEY, 'admin' satisfies StaffRole),
    ApiProblems({ 403: 'The key does not have the admin role' }),
  );
