import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

type WatchedQueue = Pick<Queue, 'name' | 'getJobCounts'>;
const DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
const DEPTH_TIMEOUT_MS = 1_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The hub's Prometheus metrics, on a registry of its own (several hubs in one test process
 * must not share counters). Names: hub_* for domain events, http_* for the HTTP server.
 */
@Injectable()
export class HubMetrics {
  readonly registry = new Registry();
  private readonly watched = new Map<string, WatchedQueue>();

  readonly complaintsReceived = new Counter({
    name: 'hub_complaints_received_total',
    help: 'Grievances accepted at intake, by primary portal',
    labelNames: ['portal'] as const,
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'hub_deliveries_total',
    help: 'Delivery attempts by portal and outcome (delivered, retry, deferred, superseded, failed)',
    labelNames: ['portal', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly waitingStatusEvents = new Counter({
    name: 'hub_status_events_waiting_total',
    help: 'Portal status events for a reference not recorded yet, by portal and outcome (released later by the sweep, expired)',
    labelNames: ['portal', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly slaLevels = new Counter({
    name: 'hub_sla_levels_total',
    help: 'Grievances reaching an SLA level (warning, breach, escalation), once each',
    labelNames: ['portal', 'level'] as const,
    registers: [this.registry],
  });

  readonly slaBreaches = new Counter({
    name: 'hub_sla_breaches_total',
    help: 'Grievances whose redressal deadline passed while open',
    labelNames: ['portal'] as const,
    registers: [this.registry],
  });

  readonly portalEventsRefused = new Counter({
    name: 'hub_portal_events_refused_total',
    help: 'Portal status events refused one by one (pushed or polled), by portal and reason (the code in the per-event result)',
    labelNames: ['portal', 'reason'] as const,
    registers: [this.registry],
  });

  readonly portalPushesRefused = new Counter({
    name: 'hub_portal_push_refused_total',
    help: 'Portal pushes refused before their body was parsed: failed signature checks by reason, and throttled addresses',
    labelNames: ['portal', 'reason'] as const,
    registers: [this.registry],
  });

  readonly portalPushPreviousSecret = new Counter({
    name: 'hub_portal_push_previous_secret_total',
    help: "Pushes signed with a portal's previous secret: a rotation is over when this stops growing",
    labelNames: ['portal'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_process_' });
    const watched = this.watched;
    new Gauge({
      name: 'hub_queue_jobs',
      help: 'Jobs per queue and state (waiting, active, delayed, failed)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        // A queue whose Redis is away reports nothing rather than failing the whole scrape, and
        // soon: a handle on a worker connection would otherwise wait for Redis to come back.
        const counts = await Promise.all(
          [...watched.values()].map((q) =>
            withTimeout(q.getJobCounts(...DEPTH_STATES), DEPTH_TIMEOUT_MS).catch(() => ({})),
          ),
        );
        [...watched.keys()].forEach((queue, i) => {
          for (const [state, count] of Object.entries(counts[i])) this.set({ queue, state }, count);
        });
      },
    });
  }

  /** Counts this queue's jobs at each scrape, as hub_queue_jobs{queue,state}. */
  watchQueue(queue: WatchedQueue): void {
    this.watched.set(queue.name, queue);
  }

  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
