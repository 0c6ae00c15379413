import { Module } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuditInterceptor } from './audit.interceptor';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { CitizenSessionsRepository } from './citizen-sessions.repository';
import { CitizenSessions } from './citizen-sessions.service';
import { PortalPushAuth } from './portal-push-auth.service';
import { StaffAuthGuard } from './staff-auth.guard';

/**
 * Staff API keys, roles and the audit trail: a module with a staff controller (StaffOnly) imports
 * it. Also the portals' signed pushes (PortalPushAuth) and citizen sessions (CitizenSessions).
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
    CitizenSessionsRepository,
    CitizenSessions,
  ],
  exports: [
    ApiKeysService,
    AuditService,
    StaffAuthGuard,
    AuditInterceptor,
    PortalPushAuth,
    CitizenSessions,
  ],
})
export class AuthModule {}
