import { type DynamicModule, Global, Module } from '@nestjs/common';
import { HubLogger } from './hub-logger';
import { createHttpLogger, type LoggingOptions } from './logging';

/**
 * The pino-http logger: configureHttp runs it in the first onRequest hook, so every answer has a
 * request id and a log line, including the refusals made before Nest routes a request (415, 413,
 * malformed JSON), which Nest's own middleware would never see.
 */
export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/** One pino logger per app: pino-http (bound per request by bindRequestLogs) and the `HubLogger` Nest logs through. */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    const http = createHttpLogger(options);
    return {
      module: LoggingModule,
      providers: [
        { provide: HTTP_LOGGER, useValue: http },
        { provide: HubLogger, useValue: new HubLogger(http.logger) },
      ],
      exports: [HTTP_LOGGER, HubLogger],
    };
  }
}
