import { HttpModule } from '@nestjs/axios';
import { Global, Module } from '@nestjs/common';
import { PortalRegistry } from './portal-registry.service';

@Global()
@Module({
  // Adapters set their own per-call timeouts; keep-alive sockets are reused across calls.
  imports: [HttpModule.register({ maxRedirects: 0 })],
  providers: [PortalRegistry],
  exports: [PortalRegistry],
})
export class PortalsModule {}
