import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';
import { DomainError } from '../platform/errors/domain-error';
import { auditSafeQuery } from './audit-redaction';
import { AuditService } from './audit.service';
import {
  AUDIT_ACTION_KEY,
  auditTargetOf,
  requestIdsOf,
  routeOf,
  type StaffRequest,
} from './staff-request';

/** Writes one audit entry per staff request, after it succeeded or failed, before the answer. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<StaffRequest>();
    const action =
      this.reflector.get<string>(AUDIT_ACTION_KEY, ctx.getHandler()) ??
      `${req.method} ${routeOf(req)}`;
    const write = (outcome: string) =>
      this.audit.record(req.staff ?? null, {
        action,
        target: auditTargetOf(req),
        outcome,
        // A staff search may hold a citizen's mobile number: the audit keeps that a search happened.
        detail: { query: auditSafeQuery(req.query as Record<string, unknown>), ...req.auditDetail },
        ...requestIdsOf(req),
      });
    return next.handle().pipe(
      mergeMap((body) => from(write('ok').then(() => body))),
      catchError((error: unknown) =>
        from(write(`error:${statusOf(error)}`)).pipe(mergeMap(() => throwError(() => error))),
      ),
    );
  }
}

function statusOf(error: unknown): number {
  if (error instanceof DomainError) return error.status;
  const status = (error as { getStatus?: () => number }).getStatus?.();
  return typeof status === 'number' ? status : 500;
}
