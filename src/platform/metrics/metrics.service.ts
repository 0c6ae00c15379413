import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

type DepthSource = () => Promise<{ queue: string; state: string; count: number }[]>;

/**
 * The hub's Prometheus metrics, on a registry of its own (several hubs in one test process
 * must not share counters). Names: hub_* for domain events, http_* for the HTTP server.
 */
@Injectable()
export class HubMetrics {
  readonly registry = new Registry();
  private readonly depthSources: DepthSource[] = [];

  readonly complaintsReceived = new Counter({
    name: 'hub_complaints_received_total',
    help: 'Grievances accepted at intake, by primary portal',
    labelNames: ['portal'] as const,
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'hub_deliveries_total',
    help: 'Delivery attempts by portal and outcome (delivered, retry, failed)',
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

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_process_' });
    const sources = this.depthSources;
    new Gauge({
      name: 'hub_queue_jobs',
      help: 'Jobs per queue and state (waiting, active, delayed, failed)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const all = await Promise.all(sources.map((s) => s().catch(() => [])));
        for (const { queue, state, count } of all.flat()) this.set({ queue, state }, count);
      },
    });
  }

  /** Queue owners register how to count their jobs; read at each scrape. */
  addQueueDepthSource(source: DepthSource): void {
    this.depthSources.push(source);
  }

  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
