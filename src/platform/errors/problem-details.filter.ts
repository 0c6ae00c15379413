import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from './database-unavailable';
import { DomainError } from './domain-error';
import { answerOf } from './filter-answer';
import { bodyErrorProblem } from '../http/body-errors';
import { problem, sendProblem } from './problem';

/** One place turns every error into RFC 9457 problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = answerOf(host);
    if (error instanceof DomainError) {
      sendProblem(
        res,
        problem(
          error.code,
          error.status,
          error.title,
          error.detail,
          error.extra.errors,
          error.extra.members,
        ),
        error.extra.headers,
      );
      return;
    }
    // Fastify's refusals while reading the body (413, 415, malformed JSON).
    const bodyError = bodyErrorProblem(error, res.url);
    if (bodyError) {
      sendProblem(res, bodyError);
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const title = httpTitle(status);
      sendProblem(res, problem(slug(title), status, title, error.message), retryAfter(error));
      return;
    }
    if (isDatabaseUnavailable(error)) {
      // Nothing was accepted (the transaction did not commit): the client may simply retry.
      this.logger.warn({ error: (error as Error).message }, 'Database unavailable');
      sendProblem(
        res,
        problem(
          'database-unavailable',
          503,
          'Service Unavailable',
          'The hub cannot reach its database; nothing was stored. Retry shortly.',
        ),
        { 'Retry-After': '5' },
      );
      return;
    }
    // Unexpected: log the error class and message, never request bodies (they carry PII).
    this.logger.error({ err: error }, 'Unhandled error');
    sendProblem(
      res,
      problem(
        'internal-error',
        500,
        'Internal Server Error',
        'The hub could not complete the request; retry later.',
      ),
    );
  }
}

function httpTitle(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
    429: 'Too Many Requests',
    503: 'Service Unavailable',
  };
  return titles[status] ?? (status >= 500 ? 'Server Error' : 'Request Error');
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z]+/g, '-');
}

function retryAfter(error: HttpException): Record<string, string> {
  const response = error.getResponse();
  if (typeof response === 'object' && response && 'retryAfter' in response) {
    return { 'Retry-After': String((response as { retryAfter: unknown }).retryAfter) };
  }
  return {};
}
