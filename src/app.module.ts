import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module';
import { CitizenModule } from './citizen/citizen.module';
import { ComplaintsModule, ComplaintsWorkerModule } from './complaints/complaints.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { PublicModule, PublicPageModule } from './public/public.module';
import { DispatchModule, DispatchWorkerModule } from './dispatch/dispatch.module';
import { ConfigModule } from './platform/config/config.module';
import type { HubConfig } from './platform/config/hub-config';
import { CryptoModule } from './platform/crypto/crypto.module';
import { DatabaseModule } from './platform/database/database.module';
import { HealthModule } from './platform/health/health.module';
import { LoggingModule } from './platform/logging/logging.module';
import { RateLimitStorage } from './platform/http/rate-limit.storage';
import { MetricsEndpointModule } from './platform/metrics/metrics-endpoint.module';
import { MetricsModule } from './platform/metrics/metrics.module';
import { PartnerAppsModule } from './partner-apps/partner-apps.module';
import { throttleLimit, throttleTracker } from './partner-apps/partner-key';
import { PortalsModule } from './portals/portals.module';
import { Open311Module } from './open311/open311.module';
import { RoutingModule } from './routing/routing.module';
import { SlaModule, SlaWorkerModule } from './sla/sla.module';
import { QueueBoardModule } from './staff/queue-board.module';
import { StaffModule } from './staff/staff.module';
import { InboundModule, InboundWorkerModule } from './inbound/inbound.module';

export interface AppOptions {
  /** Where logs go (tests capture them to prove no personal data leaks). */
  logStream?: DestinationStream;
}

/**
 * Swagger, the staff dashboard and bull-board are for people: the api and all roles serve them.
 * A worker process leaves them out (their document, views and Redis connections cost it memory)
 * and keeps the API, /health and /metrics.
 */
function servesOperatorUi(config: HubConfig): boolean {
  return config.env.hubRole !== 'worker';
}

/** What this process serves besides the API and /health (SERVE_*: off by default in production). */
export function servedTools(config: HubConfig) {
  const ui = servesOperatorUi(config);
  const { serve } = config.env;
  return {
    dashboard: ui,
    docs: ui && serve.docs,
    queueBoard: ui && serve.queueBoard,
    metrics: serve.metrics,
  };
}

@Module({})
export class AppModule {
  static forRoot(config: HubConfig, options: AppOptions = {}): DynamicModule {
    const runsWorkers = config.env.hubRole !== 'api';
    const served = servedTools(config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot({
          level: config.env.logLevel,
          format: config.env.logFormat,
          stream: options.logStream,
        }),
        ThrottlerModule.forRoot({
          // Per client address, except a partner app: its own counter and limit (src/partner-apps).
          throttlers: [
            { name: 'default', ttl: 60_000, limit: throttleLimit(config.env.rateLimitPerMinute) },
          ],
          getTracker: throttleTracker,
          storage: new RateLimitStorage(),
        }),
        DatabaseModule,
        CryptoModule,
        PortalsModule,
        RoutingModule,
        SlaModule,
        DispatchModule,
        ComplaintsModule,
        CitizenModule,
        InboundModule,
        MetricsModule,
        HealthModule,
        AuthModule,
        StaffModule,
        PartnerAppsModule,
        Open311Module,
        PublicModule,
        ...(served.metrics ? [MetricsEndpointModule] : []),
        ...(served.dashboard ? [DashboardModule, PublicPageModule] : []),
        ...(served.queueBoard ? [QueueBoardModule] : []),
        ...(runsWorkers
          ? [DispatchWorkerModule, InboundWorkerModule, SlaWorkerModule, ComplaintsWorkerModule]
          : []),
      ],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    };
  }
}
