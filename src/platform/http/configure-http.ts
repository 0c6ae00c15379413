import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { parse as parseQueryString } from 'qs';
import type { HttpLogger } from 'pino-http';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { createValidationPipe } from '../errors/validation';
import { problem, sendProblem } from '../errors/problem';
import { bindRequestLogger, HubLogger } from '../logging/hub-logger';
import { HTTP_LOGGER } from '../logging/logging.module';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { HubMetrics } from '../metrics/metrics.service';
import { applyHttpSecurity } from './http-security';
import { BODY_LIMIT_BYTES, isPortalPush, PORTAL_BATCH_BODY_LIMIT_BYTES } from './body-errors';
import { jsonShapeProblem } from './json-shape';

/** Open311 GeoReport v2 posts forms (application/x-www-form-urlencoded), by its spec. */
const OPEN311_PATH = '/open311/';

/** A portal push: its body stays raw bytes until the signature over them is verified. */
export interface RequestWithRawBody extends FastifyRequest {
  body: Buffer | undefined;
}

const pathOf = (url: string) => url.split('?')[0];

/** The Fastify adapter's options: body limit, proxies whose X-Forwarded-* is believed. */
export function fastifyOptions(config: HubConfig) {
  return {
    // false: X-Forwarded-* is ignored and req.ip is the socket's peer (the rate-limit key).
    trustProxy: config.env.trustedProxies as boolean | string[],
    bodyLimit: BODY_LIMIT_BYTES,
    logger: false,
    // The request id comes from pino-http (configureHttp's first hook), not from a header.
    requestIdHeader: false as const,
    // Express answered /path/ like /path; keep that.
    routerOptions: { ignoreTrailingSlash: true },
  };
}

/**
 * Binds the request's logger (pino-http's, made in configureHttp's first onRequest hook) around
 * everything from the first preHandler hook on: Nest middleware (middie runs there, after the
 * body is read), guards, pipes, the handler, the error filter, and every promise they start log
 * with the request's id. Added before middie is registered, so that it runs first. (A Nest
 * middleware did this until the Fastify switch; its `{/*splat}` route never matched under middie,
 * so lines logged inside a request had no request id.)
 */
export function bindRequestLogs(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (request, reply, done) =>
    bindRequestLogger(request.raw, reply.raw, done),
  );
}

/**
 * HTTP concerns shared by main.ts and the tests, so both run exactly the same stack:
 * JSON only, 64 KiB limit; portal pushes (up to 1 MiB) are kept as raw bytes, not parsed here:
 * status sync verifies the signature over them first and only then parses (parseJsonBody), so an
 * unsigned body costs a read, never a parse. Problem+json for every error including the ones
 * raised before Nest routes a request.
 */
export function configureHttp(app: NestFastifyApplication): void {
  app.useLogger(app.get(HubLogger));
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const httpLogger = app.get<HttpLogger>(HTTP_LOGGER);
  const metrics = app.get(HubMetrics);
  // First: the request id (X-Request-Id, problem+json, logs) for every answer, early ones included.
  fastify.addHook('onRequest', (request, reply, done) => {
    httpLogger(request.raw, reply.raw);
    const raw = request.raw as IncomingMessage & { id: string; log: FastifyRequest['log'] };
    (request as { id: string }).id = raw.id;
    request.log = raw.log;
    const end = metrics.httpDuration.startTimer();
    reply.raw.on('finish', () => {
      const route = request.routeOptions?.url ?? 'unmatched';
      end({ method: request.method, route: String(route), status: String(reply.raw.statusCode) });
    });
    done();
  });
  applyHttpSecurity(app, app.get<HubConfig>(HUB_CONFIG).env);
  fastify.addHook('onRequest', refuseNulInUrl);
  fastify.addHook('onRequest', requireReadableBody);
  fastify.addHook('onRoute', (route) => {
    if (isPortalPush(route.url)) route.bodyLimit = PORTAL_BATCH_BODY_LIMIT_BYTES;
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    // Portal pushes: the raw bytes, verified before anything parses them.
    if (isPortalPush(request.url)) return done(null, body);
    const charset = /;\s*charset=("?)([^";]*)\1/i.exec(request.headers['content-type'] ?? '')?.[2];
    if (charset && charset.toLowerCase() !== 'utf-8')
      return done(unreadable(415, 'unsupported charset'), undefined);
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(malformedJson(), undefined);
    }
  });
  // extended: attribute[CODE]=value arrives as { attribute: { CODE: value } }.
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (request, body, done) => {
      if (!pathOf(request.url).startsWith(OPEN311_PATH)) return done(null, undefined);
      done(null, parseQueryString(body as string, { parameterLimit: 200, depth: 5 }));
    },
  );
  fastify.addHook('preValidation', rejectHostileJsonShape);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
}

function unreadable(statusCode: number, message: string): FastifyError {
  return Object.assign(new Error(message), {
    code: 'FST_ERR_CTP_UNREADABLE',
    statusCode,
  }) as FastifyError;
}

function malformedJson(): FastifyError {
  return Object.assign(new Error('malformed JSON'), {
    code: 'FST_ERR_CTP_INVALID_JSON_BODY',
    statusCode: 400,
  }) as FastifyError;
}

// %00 (a raw NUL never gets past Node's HTTP parser): every path parameter and query value
// reaches PostgreSQL, whose text and jsonb (audit details) refuse NUL: a 500, and no audit entry.
const NUL_IN_URL = /%00/i;

/** A NUL in the URL is refused before anything routes, authenticates or audits the request. */
function refuseNulInUrl(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
  if (!NUL_IN_URL.test(req.url)) return done();
  sendProblem(
    reply,
    problem('bad-request', 400, 'Bad Request', 'The URL must not contain NUL characters (%00).'),
  );
}

const mediaTypeOf = (req: FastifyRequest) =>
  (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

function requireReadableBody(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const hasBody =
    req.headers['content-length'] !== '0' &&
    (req.headers['content-length'] || req.headers['transfer-encoding']);
  const type = mediaTypeOf(req);
  const json = type === 'application/json';
  const form =
    pathOf(req.url).startsWith(OPEN311_PATH) && type === 'application/x-www-form-urlencoded';
  if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !json && !form) {
    sendProblem(
      reply,
      problem(
        'unsupported-media-type',
        415,
        'Unsupported Media Type',
        'Send the body as application/json.',
      ),
    );
    return;
  }
  // Bodies are never inflated (and a portal push's signature is over the bytes as sent): one
  // refusal for every compressed body, before anything reads it.
  const encoding = req.headers['content-encoding'];
  if (hasBody && encoding && encoding !== 'identity') {
    sendProblem(
      reply,
      problem(
        'unsupported-content-encoding',
        415,
        'Unsupported Media Type',
        'Send the body uncompressed.',
      ),
    );
    return;
  }
  done();
}

/** Runs after the body is parsed, before Nest's validation. */
function rejectHostileJsonShape(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
  // Raw bytes (a portal push, not yet authenticated) are checked by parseJsonBody once verified.
  if (Buffer.isBuffer(req.body)) return done();
  const found = jsonShapeProblem(req.body);
  if (!found) return done();
  sendProblem(
    reply,
    problem('validation-failed', 400, 'Invalid request', '1 field(s) are invalid', [found]),
  );
}
