import { BackgroundHealthModule } from '../platform/health/background-health.module';
import { Module } from '@nestjs/common';
import { WorkerHost } from '../platform/queue/worker-host';
import { PortalsModule } from '../portals/portals.module';
import { SlaModule } from '../sla/sla.module';
import { CircuitBreakers } from './circuit-breakers';
import { DispatchQueueMetrics } from './dispatch-queue-metrics';
import { DispatchQueues } from './dispatch-queues.service';
import { DispatchRepository } from './dispatch.repository';
import { DispatchRetry } from './dispatch-retry.service';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { DispatchProcessor } from './dispatch.processor';
import { DispatchWorkers } from './dispatch-workers.service';
import { OutboxRelay } from './outbox-relay.service';

/** Producer side only: what an api process needs (staff retries re-queue through it). */
@Module({
  imports: [LifecycleModule],
  providers: [
    DispatchRepository,
    DispatchQueues,
    DispatchRetry,
    CircuitBreakers,
    DispatchQueueMetrics,
  ],
  exports: [DispatchRepository, DispatchQueues, DispatchRetry, CircuitBreakers],
})
export class DispatchModule {}

/** The relay and the per-portal workers: loaded when HUB_ROLE is worker or all. */
@Module({
  imports: [DispatchModule, PortalsModule, SlaModule, BackgroundHealthModule],
  providers: [DispatchProcessor, DispatchWorkers, WorkerHost, OutboxRelay],
  exports: [OutboxRelay],
})
export class DispatchWorkerModule {}
