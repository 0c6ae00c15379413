import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BackgroundHealthModule } from './background-health.module';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { RedisPing } from './redis-ping';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), BackgroundHealthModule],
  controllers: [HealthController],
  providers: [HealthRepository, RedisPing],
})
export class HealthModule {}
