import { Module } from '@nestjs/common';
import { LifecycleRepository } from './lifecycle.repository';

/**
 * The grievance lifecycle: the transition table and its rules (lifecycle.rules.ts), the hub's
 * own steps and their SQL guards (lifecycle.steps.ts), and the only writer of a status, a
 * timeline entry and a status notification (lifecycle.repository.ts, lifecycle.sql.ts).
 */
@Module({
  providers: [LifecycleRepository],
  exports: [LifecycleRepository],
})
export class LifecycleModule {}
