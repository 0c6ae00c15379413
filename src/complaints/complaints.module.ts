import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BackgroundHealthModule } from '../platform/health/background-health.module';
import { WorkerHost } from '../platform/queue/worker-host';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { PartnerAppsModule } from '../partner-apps/partner-apps.module';
import { PartnerKeyMiddleware } from '../partner-apps/partner-key.middleware';
import { PortalsModule } from '../portals/portals.module';
import { RoutingModule } from '../routing/routing.module';
import { SlaModule } from '../sla/sla.module';
import { CitizenActionsController } from './citizen-actions.controller';
import { CitizenActionsRepository } from './citizen-actions.repository';
import { CitizenActionsService } from './citizen-actions.service';
import { CitizenGrievancesRepository } from './citizen-grievances.repository';
import { CitizenGrievancesService } from './citizen-grievances.service';
import { ClusterLinkRepository } from './cluster-link.repository';
import { ClusterLinkQueue, ClusterLinkRelay, ClusterLinkWorker } from './cluster-link.service';
import { ComplaintsController } from './complaints.controller';
import { ComplaintsRepository } from './complaints.repository';
import { ComplaintsService } from './complaints.service';
import { ReferenceDataController } from './reference-data.controller';
import { RepeatCheckRepository } from './repeat-check.repository';
import { RepeatCheck } from './repeat-check.service';

@Module({
  imports: [
    AuthModule,
    LifecycleModule,
    RoutingModule,
    PortalsModule,
    SlaModule,
    PartnerAppsModule,
  ],
  controllers: [ComplaintsController, CitizenActionsController, ReferenceDataController],
  providers: [
    ComplaintsService,
    ComplaintsRepository,
    CitizenActionsService,
    CitizenActionsRepository,
    CitizenGrievancesService,
    CitizenGrievancesRepository,
    RepeatCheck,
    RepeatCheckRepository,
  ],
  // src/citizen: a citizen's session reaches the same actions and tracking, never a copy.
  exports: [ComplaintsService, CitizenActionsService, CitizenGrievancesService],
})
export class ComplaintsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(PartnerKeyMiddleware)
      .forRoutes({ path: 'api/v1/complaints', method: RequestMethod.POST });
  }
}

/** Cluster linking after intake (worker role): the relay of `cluster_links` and the link job. */
@Module({
  imports: [BackgroundHealthModule],
  providers: [
    RepeatCheckRepository,
    ClusterLinkRepository,
    ClusterLinkQueue,
    ClusterLinkRelay,
    ClusterLinkWorker,
    WorkerHost,
  ],
  exports: [ClusterLinkRelay, ClusterLinkWorker],
})
export class ComplaintsWorkerModule {}
