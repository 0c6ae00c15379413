import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PortalsModule } from '../portals/portals.module';
import { RoutingModule } from '../routing/routing.module';
import { SlaModule } from '../sla/sla.module';
import { CitizenActionsController } from './citizen-actions.controller';
import { CitizenActionsRepository } from './citizen-actions.repository';
import { CitizenActionsService } from './citizen-actions.service';
import { CitizenGrievancesRepository } from './citizen-grievances.repository';
import { CitizenGrievancesService } from './citizen-grievances.service';
import { ComplaintsController } from './complaints.controller';
import { ComplaintsRepository } from './complaints.repository';
import { ComplaintsService } from './complaints.service';
import { ReferenceDataController } from './reference-data.controller';
import { RepeatCheckRepository } from './repeat-check.repository';
import { RepeatCheck } from './repeat-check.service';

@Module({
  imports: [AuthModule, RoutingModule, PortalsModule, SlaModule],
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
export class ComplaintsModule {}
