import { Global, Module } from '@nestjs/common';
import { HubMetrics } from './metrics.service';

/**
 * The hub's metrics, for every process; the scrape endpoint is MetricsEndpointModule. Requests
 * are timed by configureHttp's first hook, labelled by route pattern (never the raw URL).
 */
@Global()
@Module({
  providers: [HubMetrics],
  exports: [HubMetrics],
})
export class MetricsModule {}
