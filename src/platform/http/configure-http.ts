import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { createValidationPipe } from '../errors/validation';
import { problem, sendProblem } from '../errors/problem';
import type { HttpLogger } from 'pino-http';
import { HubLogger } from '../logging/hub-logger';
import { HTTP_LOGGER } from '../logging/logging.module';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { applyHttpSecurity } from './http-security';
import { rejectHostileJsonShape } from './json-shape';

export const BODY_LIMIT = '64kb';
/** A signed portal batch holds up to 500 events: more than 64 KiB by design. */
export const PORTAL_BATCH_BODY_LIMIT = '1mb';
const PORTAL_PUSH_PATH = '/api/v1/portals';
/** Open311 GeoReport v2 posts forms (application/x-www-form-urlencoded), by its spec. */
const OPEN311_PATH = '/open311/';

/** A portal push: its body stays raw bytes until the signature over them is verified. */
export interface RequestWithRawBody extends Request {
  rawBody?: Buffer;
}

/**
 * HTTP concerns shared by main.ts and the tests, so both run exactly the same stack:
 * JSON only, 64 KiB limit; portal pushes (up to 1 MiB) are kept as raw bytes, not parsed here:
 * status sync verifies the signature over them first and only then parses (parseJsonBody), so an
 * unsigned body costs a read, never a parse. Problem+json for every error including the ones
 * raised before Nest routes a request.
 */
export function configureHttp(app: NestExpressApplication): void {
  app.useLogger(app.get(HubLogger));
  // First: the request id (X-Request-Id, problem+json, logs) for every answer, early ones included.
  app.use(app.get<HttpLogger>(HTTP_LOGGER));
  applyHttpSecurity(app, app.get<HubConfig>(HUB_CONFIG).env);
  app.use(refuseNulInUrl);
  app.use(requireJsonBody);
  // The first parser that matches reads the body; the general one then skips it.
  app.use(PORTAL_PUSH_PATH, rawBody(PORTAL_BATCH_BODY_LIMIT));
  app.use(OPEN311_PATH, formBody(BODY_LIMIT));
  app.use(jsonBody(BODY_LIMIT));
  app.use(bodyParserErrors);
  app.use(rejectHostileJsonShape);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
}

// extended: attribute[CODE]=value arrives as { attribute: { CODE: value } }.
function formBody(limit: string) {
  return express.urlencoded({ extended: true, limit, parameterLimit: 200 });
}

function jsonBody(limit: string) {
  return express.json({ limit, strict: true });
}

// Not inflated: the signature is over the bytes as sent, and a small compressed body must not
// make the hub inflate a large one before anyone is authenticated.
function rawBody(limit: string) {
  return express.raw({
    type: 'application/json',
    limit,
    inflate: false,
    verify: (req, _res, buf) => {
      (req as RequestWithRawBody).rawBody = buf;
    },
  });
}

// %00 (a raw NUL never gets past Node's HTTP parser): every path parameter and query value
// reaches PostgreSQL, whose text and jsonb (audit details) refuse NUL: a 500, and no audit entry.
const NUL_IN_URL = /%00/i;

/** A NUL in the URL is refused before anything routes, authenticates or audits the request. */
function refuseNulInUrl(req: Request, res: Response, next: NextFunction): void {
  if (!NUL_IN_URL.test(req.originalUrl)) return next();
  sendProblem(
    res,
    problem('bad-request', 400, 'Bad Request', 'The URL must not contain NUL characters (%00).'),
  );
}

function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    req.headers['content-length'] !== '0' &&
    (req.headers['content-length'] || req.headers['transfer-encoding']);
  const form = req.path.startsWith(OPEN311_PATH) && req.is('application/x-www-form-urlencoded');
  if (
    ['POST', 'PUT', 'PATCH'].includes(req.method) &&
    hasBody &&
    !req.is('application/json') &&
    !form
  ) {
    sendProblem(
      res,
      problem(
        'unsupported-media-type',
        415,
        'Unsupported Media Type',
        'Send the body as application/json.',
      ),
    );
    return;
  }
  next();
}

function bodyParserErrors(error: unknown, req: Request, res: Response, next: NextFunction): void {
  const e = error as { type?: string; status?: number };
  if (e?.type === 'entity.too.large') {
    const limit = req.originalUrl.startsWith(PORTAL_PUSH_PATH)
      ? PORTAL_BATCH_BODY_LIMIT
      : BODY_LIMIT;
    sendProblem(
      res,
      problem(
        'payload-too-large',
        413,
        'Payload Too Large',
        `Request bodies are limited to ${limit}.`,
      ),
    );
  } else if (e?.type === 'encoding.unsupported') {
    sendProblem(
      res,
      problem(
        'unsupported-content-encoding',
        415,
        'Unsupported Media Type',
        'Send portal pushes uncompressed: the signature is over the bytes as sent.',
      ),
    );
  } else if (e?.type === 'entity.parse.failed') {
    sendProblem(res, problem('malformed-json', 400, 'Bad Request', 'The body is not valid JSON.'));
  } else if (e?.status && e.status >= 400 && e.status < 500) {
    sendProblem(
      res,
      problem('bad-request', e.status, 'Bad Request', 'The request body could not be read.'),
    );
  } else {
    next(error);
  }
}
