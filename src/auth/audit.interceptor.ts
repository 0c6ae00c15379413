import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';
import { DomainError } from '../platform/errors/domain-error';
import { AuditService } from './audit.service';
import { AUDIT_ACTION_KEY, requestIdOf, type StaffRequest } from './staff-auth.guard';

const MOBILE = /^\+?\d[\d\s-]{7,}$/;

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
      `${req.method} ${req.route?.path ?? req.path}`;
    const write = (outcome: string) =>
      this.audit.record(req.staff ?? null, {
        action,
        target: (req.params?.trackingId ?? req.params?.id ?? null) as string | null,
        outcome,
        detail: { query: redactQuery(req.query as Record<string, unknown>) },
        requestId: requestIdOf(req),
      });
    return next.handle().pipe(
      mergeMap((body) => from(write('ok').then(() => body))),
      catchError((error: unknown) =>
        from(write(`error:${statusOf(error)}`)).pipe(mergeMap(() => throwError(() => error))),
      ),
    );
  }
}

/** A staff search may be a citizen's mobile number: the audit keeps that a search happened, not the number. */
function redactQuery(query: Record<string, unknown>): Record<string, unknown> {
  const out = { ...query };
  if (typeof out.q === 'string' && MOBILE.test(out.q)) out.q = '[mobile number]';
  return out;
}

function statusOf(error: unknown): number {
  if (error instanceof DomainError) return error.status;
  const status = (error as { getStatus?: () => number }).getStatus?.();
  return typeof status === 'number' ? status : 500;
}
