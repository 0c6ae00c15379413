import { Module } from '@nestjs/common';
import { BackgroundHealth } from './background-health';

/** Imported by every module that runs background work, and by the health check that reports it. */
@Module({
  providers: [BackgroundHealth],
  exports: [BackgroundHealth],
})
export class BackgroundHealthModule {}
