import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { HubMetrics } from '../platform/metrics/metrics.service';
import { DispatchQueues } from './dispatch-queues.service';

/** Dispatch queue depth per portal, read at each /metrics scrape (hub_queue_jobs). */
@Injectable()
export class DispatchQueueMetrics implements OnModuleInit {
  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly queues: DispatchQueues,
    private readonly metrics: HubMetrics,
  ) {}

  onModuleInit(): void {
    for (const p of this.config.portals) this.metrics.watchQueue(this.queues.queue(p.code));
  }
}
