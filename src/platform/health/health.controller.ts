import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { FastifyReply as Response } from 'fastify';
import { BackgroundHealth } from './background-health';
import { HealthRepository } from './health.repository';
import { ReadinessProbes } from './readiness-probes';
import { RedisPing } from './redis-ping';

const PROBE_TIMEOUT_MS = 2_000;

// Probes for the load balancer and orchestrator, not part of the integrators' contract
// (docs/staff-and-operations.md); like /metrics, they stay out of /docs.
@ApiExcludeController()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: HealthRepository,
    private readonly redis: RedisPing,
    private readonly probes: ReadinessProbes,
    private readonly background: BackgroundHealth,
  ) {}

  /** The process answers: nothing else is checked (a restart would not fix a dependency). */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * PostgreSQL and Redis must answer; what features registered (each portal's health) is
   * reported but only degrades the result — a portal outage must not take the hub out of the load
   * balancer (its dispatches wait in PostgreSQL).
   * So does a background job whose last run failed (`background`, with each job's reason).
   */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) res: Response) {
    try {
      return await this.health.check([
        async () =>
          this.indicators
            .check('postgresql')
            .attempt(() => this.database.ping())
            .withTimeout(PROBE_TIMEOUT_MS),
        async () =>
          this.indicators
            .check('redis')
            .attempt(() => this.redis.ping())
            .withTimeout(PROBE_TIMEOUT_MS),
        // The read replica serves staff lists only: its outage degrades, it does not take the
        // hub out of the load balancer (intake and delivery do not use it).
        ...(this.database.hasReplica
          ? [
              async () => {
                const session = this.indicators.check('postgresql-replica');
                let timer: NodeJS.Timeout | undefined;
                const timeout = new Promise<never>((_, reject) => {
                  timer = setTimeout(
                    () => reject(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)),
                    PROBE_TIMEOUT_MS,
                  );
                });
                const result = await Promise.race([this.database.replica(), timeout])
                  .catch((error: Error) => ({ ok: false, detail: error.message }))
                  .finally(() => clearTimeout(timer));
                return result.ok
                  ? session.up({ detail: result.detail })
                  : session.degraded({ detail: result.detail });
              },
            ]
          : []),
        ...this.probes.all().map((probe) => async () => {
          const session = this.indicators.check(probe.name);
          const result = await probe
            .check(PROBE_TIMEOUT_MS)
            .catch((error: Error) => ({ ok: false, detail: error.message }));
          return result.ok
            ? session.up()
            : session.degraded({ detail: result.detail ?? 'unhealthy' });
        }),
        async () => {
          const session = this.indicators.check('background');
          const failures = this.background.failures();
          return failures.length === 0 ? session.up() : session.degraded({ failures });
        },
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse();
    }
  }
}
