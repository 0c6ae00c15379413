import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Logger } from 'nestjs-pino';
import { createValidationPipe } from '../errors/validation';
import { problem, sendProblem } from '../errors/problem';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { rejectHostileJsonShape } from './json-shape';

export const BODY_LIMIT = '64kb';

export interface RequestWithRawBody extends Request {
  rawBody?: Buffer;
}

/**
 * HTTP concerns shared by main.ts and the tests, so both run exactly the same stack:
 * JSON only, 64 KiB limit, raw body kept (portal signatures are over the exact bytes),
 * problem+json for every error including the ones raised before Nest routes a request.
 */
export function configureHttp(app: NestExpressApplication): void {
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(requireJsonBody);
  app.use(
    express.json({
      limit: BODY_LIMIT,
      strict: true,
      verify: (req, _res, buf) => {
        (req as RequestWithRawBody).rawBody = buf;
      },
    }),
  );
  app.use(bodyParserErrors);
  app.use(rejectHostileJsonShape);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
}

function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    req.headers['content-length'] !== '0' &&
    (req.headers['content-length'] || req.headers['transfer-encoding']);
  if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !req.is('application/json')) {
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

function bodyParserErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = error as { type?: string; status?: number };
  if (e?.type === 'entity.too.large') {
    sendProblem(
      res,
      problem(
        'payload-too-large',
        413,
        'Payload Too Large',
        `Request bodies are limited to ${BODY_LIMIT}.`,
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
