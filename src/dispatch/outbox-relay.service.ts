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
        add: (rows) =>
          queues.add(
            rows.map((d) => ({
              dispatchId: d.id,
              portalCode: d.portalCode,
              correlationId: d.correlationId,
              rearmed: d.rearmed,
            })),
          ),
        withoutLiveJob: (rows) =>
          withoutLiveJob(rows, (d) => queues.hasLiveJob(d.portalCode, d.id)),
      }),
      background.reporter('relay', 'dispatch-outbox'),
    );
  }
}
