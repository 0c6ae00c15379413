import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { destination, type DestinationStream } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The X-Request-Id the client sent, if it has a sane shape. It is kept beside the request id
 * for correlation, never used as it: clients may repeat or forge ids.
 */
export function clientRequestIdOf(req: IncomingMessage): string | null {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : null;
}

/**
 * Every log line is JSON with the request id; bodies are never logged and secrets in headers
 * are redacted. Paths to personal data are redacted too, in case an error object carries one.
 */
export function loggerParams(level: string, stream?: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level,
        // The request id is always made here (logs, problem+json, audit, correlation ids).
        genReqId: (_req: IncomingMessage, res: ServerResponse) => {
          const id = randomUUID();
          res.setHeader('X-Request-Id', id);
          return id;
        },
        customProps: (req: IncomingMessage) => {
          const clientRequestId = clientRequestIdOf(req);
          return clientRequestId ? { clientRequestId } : {};
        },
        // Query strings can carry search terms typed by staff: log the path only.
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({
            id: req.id,
            method: req.method,
            path: req.url.split('?')[0],
          }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        redact: {
          paths: [
            'req.headers.authorization',
            'req.headers["x-access-token"]',
            'req.headers["x-hub-signature"]',
            '*.complainant',
            '*.mobile',
            '*.email',
            '*.name',
            '*.address',
            '*.accessToken',
          ],
          censor: '[redacted]',
        },
        autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health/live' },
      },
      // Asynchronous stdout: a write that blocks (a slow disk or log collector) must not stall
      // the event loop and every request behind it. pino flushes what is buffered on exit.
      stream ?? destination({ dest: 1, sync: false }),
    ],
  };
}
