import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { destination, type DestinationStream } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import pinoPretty from 'pino-pretty';
import type { LogFormat, LogLevel } from '../config/hub-config';
import { containsMobileNumber } from '../validation/mobile-number';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export interface LoggingOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where lines go instead of stdout (tests capture them to prove no personal data leaks). */
  stream?: DestinationStream;
}

/**
 * The X-Request-Id the client sent, if it has a sane shape. It is kept beside the request id
 * for correlation, never used as it: clients may repeat or forge ids.
 */
export function clientRequestIdOf(req: IncomingMessage): string | null {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : null;
}

/** Secrets in headers and paths to personal data, in case an error object carries one. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-access-token"]',
  'req.headers["x-citizen-token"]',
  'req.headers["x-hub-signature"]',
  ...['complainant', 'mobile', 'email', 'name', 'address', 'accessToken', 'otp'].flatMap(
    (field) => [field, `*.${field}`],
  ),
];

/**
 * The hub's one pino logger, as pino-http middleware (`.logger` is the root). Every line carries
 * the request id; bodies are never logged. Redaction happens before formatting, so the pretty
 * format hides the same fields as JSON.
 */
export function createHttpLogger({ level, format, stream }: LoggingOptions): HttpLogger {
  return pinoHttp(
    {
      level,
      // The request id is always made here (logs, problem+json, audit, correlation ids).
      genReqId: (_req: IncomingMessage, res: ServerResponse) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Nothing when the client sent no id: pino-http makes a child logger of any object it
      // gets here, even an empty one, on every request. (pino-http 11 tests the answer for
      // truthiness where it reads it, per request and per completion line; its type says object.)
      customProps: (req: IncomingMessage) => {
        const clientRequestId = clientRequestIdOf(req);
        return (clientRequestId ? { clientRequestId } : undefined) as object;
      },
      // Query strings can carry search terms typed by staff: log the path only.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: loggablePath(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health/live' },
    },
    format === 'pretty' ? prettyStream(stream) : (stream ?? stdout()),
  );
}

/**
 * The path without its query, and without a mobile number typed where a tracking id goes
 * (`GET /api/v1/complaints/9876543210`): path segments are input too.
 */
function loggablePath(url: string): string {
  return url
    .split('?')[0]
    .split('/')
    .map((segment) => (containsMobileNumber(decodeSegment(segment)) ? '[mobile number]' : segment))
    .join('/');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// Asynchronous stdout: a write that blocks (a slow disk or log collector) must not stall the
// event loop and every request behind it. pino flushes what is buffered on exit.
const stdout = () => destination({ dest: 1, sync: false });

/**
 * One line per entry, for a person: `[10:19:35.951] WARN: [Inbound] Push refused {"portal":…}`,
 * or `request completed POST /api/v1/complaints 400 in 20 ms [<request id>]`.
 */
function prettyStream(stream?: DestinationStream): DestinationStream {
  return pinoPretty({
    destination: stream ?? 1,
    colorize: !stream && process.stdout.isTTY,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context,req,res,responseTime',
    messageFormat:
      '{if context}[{context}] {end}{msg}{if req.method} {req.method} {req.path}{end}' +
      '{if res.statusCode} {res.statusCode} in {responseTime} ms{end}{if req.id} [{req.id}]{end}',
    singleLine: true,
    sync: false,
  });
}
