import { BackgroundHealthModule } from '../platform/health/background-health.module';
import { Module } from '@nestjs/common';
import { WorkerHost } from '../platform/queue/worker-host';
import { AuthModule } from '../auth/auth.module';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { PortalsModule } from '../portals/portals.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { GovernanceIndexRepository } from './governance-index.repository';
import { GovernanceIndexService } from './governance-index.service';
import { SlaActionsRepository } from './sla-actions.repository';
import { SlaBreachesRepository } from './sla-breaches.repository';
import { SlaEscalationService } from './sla-escalation.service';
import { SlaLiveRepository } from './sla-live.repository';
import { SlaRollupRepository } from './sla-rollup.repository';
import { SlaRollupService } from './sla-rollup.service';
import { SlaScheduler } from './sla-scheduler.service';
import { SlaViewsService } from './sla-views.service';
import { SlaController } from './sla.controller';
import { SlaService } from './sla.service';

/** Deadlines (used by intake and dispatch), staff SLA views and the rollup behind them. */
@Module({
  imports: [AuthModule, LifecycleModule, PortalsModule],
  controllers: [SlaController],
  providers: [
    SlaService,
    SlaViewsService,
    SlaRollupRepository,
    SlaLiveRepository,
    SlaRollupService,
    SlaBreachesRepository,
    SlaActionsRepository,
    SlaEscalationService,
    GovernanceIndexRepository,
    GovernanceIndexService,
  ],
  exports: [
    SlaService,
    SlaRollupService,
    SlaEscalationService,
    SlaViewsService,
    GovernanceIndexService,
  ],
})
export class SlaModule {}

/** The SLA job schedulers and their worker: loaded when HUB_ROLE is worker or all. */
@Module({
  imports: [SlaModule, PrivacyModule, BackgroundHealthModule],
  providers: [SlaScheduler, WorkerHost],
})
export class SlaWorkerModule {}
