import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { STATUS_JOBS, statusJobId } from '../platform/queue/queue-names';
import { LifecycleRepository } from '../lifecycle/lifecycle.repository';
import { StatusQueues } from './status-queues.service';
import { BackgroundHealth } from '../platform/health/background-health';
import { installScheduler } from '../platform/queue/install-scheduler';
import { DAY_MS } from '../platform/time';

const MAX_EVERY_MS = 60_000;

/** Closes resolved or rejected grievances the citizen never gave feedback on (AUTO_CLOSE_AFTER). */
@Injectable()
export class AutoCloseService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AutoCloseService.name);

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly queues: StatusQueues,
    private readonly repository: LifecycleRepository,
    private readonly background: BackgroundHealth,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.min(MAX_EVERY_MS, Math.max(1_000, this.config.env.autoCloseAfterMs / 2));
    void installScheduler(
      this.queues.lifecycle,
      statusJobId.autoCloseScheduler,
      { every },
      { name: STATUS_JOBS.autoClose, data: {}, opts: { removeOnComplete: { count: 10 } } },
      this.background,
    );
  }

  async run(now = new Date()): Promise<number> {
    const afterMs = this.config.env.autoCloseAfterMs;
    const closed = await this.repository.autoClose(
      new Date(now.getTime() - afterMs),
      `Closed automatically: no feedback within ${describe(afterMs)} of the resolution`,
    );
    if (closed > 0) this.logger.log({ closed }, 'Auto-closed resolved grievances');
    return closed;
  }
}

function describe(ms: number): string {
  const days = ms / DAY_MS;
  if (Number.isInteger(days)) return `${days} day${days === 1 ? '' : 's'}`;
  const minutes = Math.round(ms / 60_000);
  return minutes >= 1
    ? `${minutes} minute${minutes === 1 ? '' : 's'}`
    : `${Math.round(ms / 1000)} s`;
}
