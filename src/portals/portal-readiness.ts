import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ReadinessProbes } from '../platform/health/readiness-probes';
import { PortalRegistry } from './portal-registry.service';

/**
 * Reports each portal's own health check on /health/ready. A portal outage only degrades the
 * answer: it must not take the hub out of the load balancer (the outbox waits).
 */
@Injectable()
export class PortalReadiness implements OnModuleInit {
  constructor(
    private readonly portals: PortalRegistry,
    private readonly probes: ReadinessProbes,
  ) {}

  onModuleInit(): void {
    this.probes.register(() =>
      this.portals.all().map(({ config, adapter }) => ({
        name: `portal:${config.code}`,
        check: (timeoutMs: number) =>
          adapter.healthCheck({ correlationId: `health-${config.code}`, timeoutMs }),
      })),
    );
  }
}
