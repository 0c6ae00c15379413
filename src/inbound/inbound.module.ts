import { BackgroundHealthModule } from '../platform/health/background-health.module';
import { Module } from '@nestjs/common';
import { WorkerHost } from '../platform/queue/worker-host';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PortalsModule } from '../portals/portals.module';
import { SlaModule } from '../sla/sla.module';
import { AutoCloseService } from './auto-close.service';
import { InboundRepository } from './inbound.repository';
import { InboundService } from './inbound.service';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { PollRepository } from './poll.repository';
import { PortalRequestsModule } from '../portal-requests/portal-requests.module';
import { RelayRepository } from './relay.repository';
import { StatusPoller } from './status-poller.service';
import { StatusQueues } from './status-queues.service';
import { StatusRelay } from './status-relay.service';
import { StatusSyncRepository } from './status-sync.repository';
import { StatusWorkers } from './status-workers.service';
import { StatusUpdatesController } from './status-updates.controller';
import { StatusProcessor } from './status.processor';
import { WaitingEventsRepository } from './waiting-events.repository';
import { WaitingEventsSweep } from './waiting-events.service';

/** Inbound pushes (api role): verify, store, answer. Nothing here talks to Redis. */
@Module({
  imports: [AuthModule, PortalsModule],
  controllers: [StatusUpdatesController],
  providers: [InboundService, InboundRepository],
  exports: [InboundService],
})
export class InboundModule {}

/** Relay, status processor, pollers, auto-close, and the portal-requests worker (worker role). */
@Module({
  imports: [
    InboundModule,
    LifecycleModule,
    PortalRequestsModule,
    NotificationsModule,
    PortalsModule,
    SlaModule,
    BackgroundHealthModule,
  ],
  providers: [
    StatusQueues,
    RelayRepository,
    StatusRelay,
    StatusSyncRepository,
    StatusProcessor,
    PollRepository,
    StatusPoller,
    AutoCloseService,
    StatusWorkers,
    WorkerHost,
    WaitingEventsRepository,
    WaitingEventsSweep,
  ],
  exports: [StatusRelay, StatusPoller, AutoCloseService],
})
export class InboundWorkerModule {}
