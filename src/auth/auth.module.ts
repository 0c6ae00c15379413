import { Global, Module } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuditInterceptor } from './audit.interceptor';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { StaffAuthGuard } from './staff-auth.guard';

/** Staff API keys, roles and the audit trail; global so every staff controller can use them. */
@Global()
@Module({
  providers: [
    ApiKeysRepository,
    ApiKeysService,
    AuditRepository,
    AuditService,
    StaffAuthGuard,
    AuditInterceptor,
  ],
  exports: [ApiKeysService, AuditService, StaffAuthGuard, AuditInterceptor],
})
export class AuthModule {}
