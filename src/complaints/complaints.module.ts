import { Module } from '@nestjs/common';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { PortalsModule } from '../portals/portals.module';
import { RoutingModule } from '../routing/routing.module';
import { SlaModule } from '../sla/sla.module';
import { CitizenActionsController } from './citizen-actions.controller';
import { CitizenActionsRepository } from './citizen-actions.repository';
import { CitizenActionsService } from './citizen-actions.service';
import { ComplaintsController } from './complaints.controller';
import { ComplaintsRepository } from './complaints.repository';
import { ComplaintsService } from './complaints.service';
import { ReferenceDataController } from './reference-data.controller';

@Module({
  imports: [LifecycleModule, RoutingModule, PortalsModule, SlaModule],
  controllers: [ComplaintsController, CitizenActionsController, ReferenceDataController],
  providers: [
    ComplaintsService,
    ComplaintsRepository,
    CitizenActionsService,
    CitizenActionsRepository,
  ],
})
export class ComplaintsModule {}
