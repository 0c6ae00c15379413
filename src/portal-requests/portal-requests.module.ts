import { Module } from '@nestjs/common';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { PortalsModule } from '../portals/portals.module';
import { PortalRequestsProcessor } from './portal-requests.processor';
import { PortalRequestsRepository } from './portal-requests.repository';

/**
 * What the hub asks of a portal after delivery (citizens' reminders and appeals, SLA reminders):
 * sending them and recording the answer. Rows are created by the features that decide to ask
 * (complaints, sla) and queued by the status relay; the inbound worker runs this processor.
 */
@Module({
  imports: [LifecycleModule, PortalsModule],
  providers: [PortalRequestsRepository, PortalRequestsProcessor],
  exports: [PortalRequestsProcessor],
})
export class PortalRequestsModule {}
