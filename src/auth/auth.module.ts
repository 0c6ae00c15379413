import { Module } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuditInterceptor } from './audit.interceptor';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { PortalPushAuth } from './portal-push-auth.service';
import { StaffAuthGuard } from './staff-auth.guard';

/**
 * Staff API keys, roles and the audit trail: a module with a staff controller (StaffOnly) imports
 * it. Also the portals' signed pushes (PortalPushAuth).
 */
@Module({
  providers: [
    ApiKeysRepository,
    ApiKeysService,
    AuditRepository,
    AuditService,
    StaffAuthGuard,
    AuditInterceptor,
    PortalPushAuth,
  ],
  exports: [ApiKeysService, AuditService, StaffAuthGuard, AuditInterceptor, PortalPushAuth],
})
export class AuthModule {}
