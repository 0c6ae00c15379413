import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { ComplaintsController } from './complaints.controller';
import { ComplaintsRepository } from './complaints.repository';
import { ComplaintsService } from './complaints.service';
import { ReferenceDataController } from './reference-data.controller';

@Module({
  imports: [RoutingModule],
  controllers: [ComplaintsController, ReferenceDataController],
  providers: [ComplaintsService, ComplaintsRepository],
})
export class ComplaintsModule {}
