import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/** GET /metrics, mounted only when SERVE_METRICS allows it (off by default in production). */
@Module({ controllers: [MetricsController] })
export class MetricsEndpointModule {}
