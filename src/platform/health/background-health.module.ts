import { Module } from '@nestjs/common';
import { BackgroundHealth } from './background-health';
import { ReadinessProbes } from './readiness-probes';

/**
 * Imported by every module that runs background work or owns a dependency worth probing, and by
 * the health check that reports them. One instance per hub (Nest shares a module's providers).
 */
@Module({
  providers: [BackgroundHealth, ReadinessProbes],
  exports: [BackgroundHealth, ReadinessProbes],
})
export class BackgroundHealthModule {}
