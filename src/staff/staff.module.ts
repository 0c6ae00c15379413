import { Module, type OnModuleInit } from '@nestjs/common';
import { DispatchModule } from '../dispatch/dispatch.module';
import { DispatchQueues } from '../dispatch/dispatch-queues.service';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { HubMetrics } from '../platform/metrics/metrics.service';
import { StaffController } from './staff.controller';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';

@Module({
  imports: [DispatchModule],
  controllers: [StaffController],
  providers: [StaffRepository, StaffService],
})
export class StaffModule implements OnModuleInit {
  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly queues: DispatchQueues,
    private readonly metrics: HubMetrics,
  ) {}

  /** Dispatch queue depth per portal, read at each /metrics scrape. */
  onModuleInit(): void {
    for (const p of this.config.portals) this.metrics.watchQueue(this.queues.queue(p.code));
  }
}
