import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DispatchModule } from '../dispatch/dispatch.module';
import { RepeatsController } from './repeats.controller';
import { RepeatsViewRepository } from './repeats-view.repository';
import { StaffController } from './staff.controller';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';

@Module({
  imports: [AuthModule, DispatchModule],
  controllers: [StaffController, RepeatsController],
  providers: [StaffRepository, StaffService, RepeatsViewRepository],
})
export class StaffModule {}
