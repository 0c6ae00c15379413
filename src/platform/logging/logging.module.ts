import {
  type DynamicModule,
  Global,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import type { HttpLogger } from 'pino-http';
import { bindRequestLogger, HubLogger } from './hub-logger';
import { createHttpLogger, type LoggingOptions } from './logging';

const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/** One pino logger per app: request logging middleware and the `HubLogger` Nest logs through. */
@Global()
@Module({})
export class LoggingModule implements NestModule {
  constructor(@Inject(HTTP_LOGGER) private readonly http: HttpLogger) {}

  static forRoot(options: LoggingOptions): DynamicModule {
    const http = createHttpLogger(options);
    return {
      module: LoggingModule,
      providers: [
        { provide: HTTP_LOGGER, useValue: http },
        { provide: HubLogger, useValue: new HubLogger(http.logger) },
      ],
      exports: [HubLogger],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(this.http, bindRequestLogger)
      .forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
