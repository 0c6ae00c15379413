import type { LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const requestLogger = new AsyncLocalStorage<Logger>();

/**
 * Binds the request logger pino-http made for the rest of the request (the first Fastify
 * preHandler hook, `bindRequestLogs`, after the body is read): what follows logs with its id.
 */
export function bindRequestLogger(
  req: IncomingMessage & { log?: Logger },
  _res: ServerResponse,
  next: () => void,
): void {
  if (req.log) requestLogger.run(req.log, next);
  else next();
}

/**
 * Nest's `Logger` calls land here (`app.useLogger`). Inside a request they go through that
 * request's logger, so they carry its id. `logger.warn({ portal }, 'Push refused', 'Inbound')`
 * becomes `{ portal, context: 'Inbound', msg: 'Push refused' }`; an Error goes under `err`.
 */
export class HubLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const logger = requestLogger.getStore() ?? this.root;
    // Nest passes the logger's context (its name) last.
    const fields: Record<string, unknown> = params.length ? { context: params.at(-1) } : {};
    const rest = params.slice(0, -1);
    if (message instanceof Error) {
      logger[level]({ ...fields, err: message }, ...(rest as []));
    } else if (typeof message === 'object' && message !== null) {
      logger[level]({ ...fields, ...message }, ...(rest as []));
    } else if (level === 'error' && isStack(rest)) {
      // Nest's own exception handlers call error(message, stack, context).
      const err = new Error(String(message));
      err.stack = rest[0] as string;
      logger.error({ ...fields, err });
    } else {
      logger[level](fields, String(message), ...(rest as []));
    }
  }
}

function isStack(rest: unknown[]): boolean {
  return rest.length === 1 && typeof rest[0] === 'string' && /\n\s*at /.test(rest[0]);
}
