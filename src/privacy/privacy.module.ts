import { Module } from '@nestjs/common';
import { MonthlyPartitions } from '../platform/database/monthly-partitions';
import { PartitionMaintenance } from './partition-maintenance.service';
import { PrivacyRepository } from './privacy.repository';
import { PrivacyService } from './privacy.service';

@Module({
  providers: [PrivacyRepository, PrivacyService, MonthlyPartitions, PartitionMaintenance],
  exports: [PrivacyService, PartitionMaintenance],
})
export class PrivacyModule {}
