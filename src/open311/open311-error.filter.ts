import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '../platform/errors/database-unavailable';
import { DomainError } from '../platform/errors/domain-error';
import { answerOf } from '../platform/errors/filter-answer';
import { Open311Error, type Open311ErrorEntry } from './open311-error';
import { open311Field } from './open311-fields';
import { CONTENT_TYPES, formatOfPath } from './open311-format';
import { serialize } from '../../adapters/open311/georeport';

interface Answer {
  status: number;
  errors: Open311ErrorEntry[];
  headers?: Record<string, string>;
}

/**
 * Open311 routes answer errors as the spec's `errors` list (XML or JSON by the path's suffix),
 * not problem+json: 400 invalid, 403 api_key, 404 not found. Throttling (429) and an unreachable
 * database (503, Retry-After) keep their statuses: a client must not treat them as final.
 */
@Catch()
export class Open311ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Open311');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = answerOf(host);
    const answer = this.answerFor(error);
    const format = formatOfPath(res.url.split('?')[0]);
    res.send(
      answer.status,
      { ...answer.headers, 'Content-Type': CONTENT_TYPES[format] },
      serialize(
        format,
        'errors',
        answer.errors.map((e) => ({ ...e })),
      ),
    );
  }

  private answerFor(error: unknown): Answer {
    if (error instanceof Open311Error) return { status: error.status, errors: error.errors };
    if (error instanceof DomainError) return fromDomainError(error);
    if (error instanceof HttpException) {
      const status = error.getStatus();
      return {
        status: status === 401 ? 403 : status,
        errors: [{ code: status, description: error.message }],
      };
    }
    if (isDatabaseUnavailable(error)) {
      this.logger.warn({ error: (error as Error).message }, 'Database unavailable');
      return {
        status: 503,
        errors: [
          {
            code: 503,
            description: 'The hub cannot reach its database; nothing was stored. Retry shortly.',
          },
        ],
        headers: { 'Retry-After': '5' },
      };
    }
    this.logger.error({ err: error }, 'Unhandled error');
    return {
      status: 500,
      errors: [{ code: 500, description: 'The hub could not complete the request; retry later.' }],
    };
  }
}

/** Domain errors of the intake path, in Open311's statuses and with Open311's field names. */
function fromDomainError(error: DomainError): Answer {
  const fields = error.extra.errors ?? [];
  const status =
    error.status === 401 || error.status === 403
      ? 403
      : error.status === 404
        ? 404
        : error.status >= 500 || error.status === 429
          ? error.status
          : 400;
  const errors = fields.length
    ? fields.map((f) => ({ code: status, description: `${open311Field(f.path)}: ${f.message}` }))
    : [{ code: status, description: error.detail }];
  return { status, errors, headers: error.extra.headers };
}
