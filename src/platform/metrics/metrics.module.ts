import { Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { HubMetrics } from './metrics.service';

/** The hub's metrics, for every process; the scrape endpoint is MetricsEndpointModule. */
@Global()
@Module({
  providers: [HubMetrics],
  exports: [HubMetrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
