import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Job } from 'bullmq';
import { RowQueue } from '../inbound/row-queue';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { BackgroundHealth } from '../platform/health/background-health';
import { HubMetrics } from '../platform/metrics/metrics.service';
import { QUEUES, STATUS_JOBS, statusJobId, type RowJobData } from '../platform/queue/queue-names';
import { RelayHost } from '../platform/queue/relay-host';
import { RETRY, retryJobOptions } from '../platform/queue/retry-policy';
import { WorkerHost } from '../platform/queue/worker-host';
import { ClusterLinkRepository, type LinkOutcome } from './cluster-link.repository';

/** Producer side of the cluster-link queue: one job per `cluster_links` row. */
@Injectable()
export class ClusterLinkQueue implements OnApplicationShutdown {
  readonly rows: RowQueue;

  constructor(@InjectConfig() config: HubConfig, metrics: HubMetrics) {
    this.rows = new RowQueue(
      config,
      QUEUES.clusters,
      STATUS_JOBS.linkCluster,
      statusJobId.clusterLink,
      retryJobOptions(RETRY.clusterLinks),
    );
    metrics.watchQueue(this.rows.queue);
  }

  onApplicationShutdown(): Promise<void> {
    return this.rows.close();
  }
}

/** Moves the grievances intake left to link into the link queue (the shared relay). */
@Injectable()
export class ClusterLinkRelay extends RelayHost {
  constructor(
    repository: ClusterLinkRepository,
    queue: ClusterLinkQueue,
    background: BackgroundHealth,
  ) {
    super(
      'cluster links',
      new Logger(ClusterLinkRelay.name),
      repository.relay(queue.rows, 200),
      background.reporter('relay', 'cluster-links'),
    );
  }
}

/**
 * The link job's worker (worker role): a failed run is retried by RETRY.clusterLinks and
 * reported like every worker's (WorkerHost: logged, counted, /health/ready).
 */
@Injectable()
export class ClusterLinkWorker implements OnApplicationBootstrap {
  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly host: WorkerHost,
    private readonly repository: ClusterLinkRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.host.startWorker<RowJobData>({
      queue: QUEUES.clusters,
      process: (job) => this.process(job),
      concurrency: 2,
      retry: RETRY.clusterLinks,
    });
  }

  /** Links the job's grievance; a re-run (the row already gone) changes nothing. */
  process(job: Pick<Job<RowJobData>, 'data'>): Promise<LinkOutcome> {
    const { clusterSimilarity, clusterWindowMs } = this.config.env.repeats;
    return this.repository.link(job.data.id, { clusterSimilarity, clusterWindowMs });
  }
}
