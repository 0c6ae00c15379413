import { problem, type ProblemBody } from '../errors/problem';

export const BODY_LIMIT_BYTES = 64 * 1024;
export const BODY_LIMIT = `${BODY_LIMIT_BYTES / 1024}kb`;
/** A signed portal batch holds up to 500 events: more than 64 KiB by design. */
export const PORTAL_BATCH_BODY_LIMIT_BYTES = 1024 * 1024;
export const PORTAL_BATCH_BODY_LIMIT = `${PORTAL_BATCH_BODY_LIMIT_BYTES / 1024 / 1024}mb`;
export const PORTAL_PUSH_PATH = '/api/v1/portals';

export const isPortalPush = (url: string) => url.startsWith(`${PORTAL_PUSH_PATH}/`);

/**
 * Fastify's own refusals while reading a body (too large, unreadable, malformed, unsupported
 * media type), as the problem+json every other refusal is; null for anything else. Also when
 * Nest's Fastify adapter has wrapped one in an HttpException (its cause).
 */
export function bodyErrorProblem(error: unknown, url: string): ProblemBody | null {
  type Coded = { code?: unknown; statusCode?: unknown; cause?: unknown } | null;
  // Nest's Fastify adapter hands a 4xx Fastify error to the filters as an HttpException.
  const outer = error as Coded;
  const e = (outer && typeof outer.code !== 'string' ? outer.cause : outer) as Coded;
  if (!e || typeof e.code !== 'string') return null;
  const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = isPortalPush(url.split('?')[0]) ? PORTAL_BATCH_BODY_LIMIT : BODY_LIMIT;
    return problem(
      'payload-too-large',
      413,
      'Payload Too Large',
      `Request bodies are limited to ${limit}.`,
    );
  }
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return problem('malformed-json', 400, 'Bad Request', 'The body is not valid JSON.');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return problem(
      'unsupported-media-type',
      415,
      'Unsupported Media Type',
      'Send the body as application/json.',
    );
  if (e.code.startsWith('FST_ERR_CTP_') && status >= 400 && status < 500)
    return problem('bad-request', status, 'Bad Request', 'The request body could not be read.');
  return null;
}
