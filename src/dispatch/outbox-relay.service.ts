import { Injectable, Logger } from '@nestjs/common';
import { BackgroundHealth } from '../platform/health/background-health';
import { RelayHost } from '../platform/queue/relay-host';
import { withoutLiveJob } from '../platform/queue/live-job';
import { DispatchQueues } from './dispatch-queues.service';
import { DispatchRepository } from './dispatch.repository';

/**
 * Moves committed dispatches (the transactional outbox: a dispatch row not yet queued) into the
 * dispatch queues, with the relay every table waiting for a queue shares
 * (platform/queue/row-relay). Runs in every worker process; SKIP LOCKED lets several relays
 * share the table without queuing a dispatch twice.
 */
@Injectable()
export class OutboxRelay extends RelayHost {
  constructor(
    repository: DispatchRepository,
    queues: DispatchQueues,
    background: BackgroundHealth,
  ) {
    super(
      'dispatches',
      new Logger(OutboxRelay.name),
      // Queuing a dispatch routes its grievance (RECEIVED → ROUTED) in the claim's transaction.
      repository.relay({
        add: async (rows) => {
          // A staff retry's dispatch may still have its finished job under the deterministic
          // id: hasLiveJob removes it first, or the add would be that no-op; a job still live
          // delivers the re-armed dispatch itself.
          await Promise.all(
            rows.filter((d) => d.rearmed).map((d) => queues.hasLiveJob(d.portalCode, d.id)),
          );
          await queues.add(
            rows.map((d) => ({
              dispatchId: d.id,
              portalCode: d.portalCode,
              correlationId: d.correlationId,
            })),
          );
        },
        withoutLiveJob: (rows) =>
          withoutLiveJob(rows, (d) => queues.hasLiveJob(d.portalCode, d.id)),
      }),
      background.reporter('relay', 'dispatch-outbox'),
    );
  }
}
