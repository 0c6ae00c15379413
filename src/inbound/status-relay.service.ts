import { Injectable, Logger } from '@nestjs/common';
import { BackgroundHealth } from '../platform/health/background-health';
import { RelayHost } from '../platform/queue/relay-host';
import { RelayRepository } from './relay.repository';
import { INBOUND_BATCH, StatusQueues } from './status-queues.service';

/**
 * Moves stored inbound events, notifications and portal requests into their queues, with the
 * relay every table waiting for a queue shares (platform/queue/row-relay): the HTTP path only
 * writes PostgreSQL, and a sweep re-queues rows whose job vanished (Redis wiped) or ended
 * without settling the row.
 */
@Injectable()
export class StatusRelay extends RelayHost {
  constructor(repository: RelayRepository, queues: StatusQueues, background: BackgroundHealth) {
    super(
      'status events, notifications and portal requests',
      new Logger(StatusRelay.name),
      // Rows claimed per transaction; inbound events go out as jobs of INBOUND_BATCH.
      repository.relay(queues.rows, {
        inbound_events: 2 * INBOUND_BATCH,
        notifications: 200,
        portal_requests: 200,
      }),
      background.reporter('relay', 'status-outbox'),
    );
  }
}
