import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { BackgroundHealthModule } from '../platform/health/background-health.module';
import { PortalReadiness } from './portal-readiness';
import { PortalRegistry } from './portal-registry.service';

@Module({
  // Adapters set their own per-call timeouts; keep-alive sockets are reused across calls.
  imports: [HttpModule.register({ maxRedirects: 0 }), BackgroundHealthModule],
  // PortalReadiness registers each portal's health check with /health/ready.
  providers: [PortalRegistry, PortalReadiness],
  exports: [PortalRegistry],
})
export class PortalsModule {}
