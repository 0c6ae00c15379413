import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PartnerAppsController } from './partner-apps.controller';
import { PartnerAppsRepository } from './partner-apps.repository';
import { PartnerAppsService } from './partner-apps.service';
import { PartnerKeyMiddleware } from './partner-key.middleware';

/**
 * Partner apps: keys issued per civic app (staff API and `npm run hub -- partner-app …`), each
 * with its own rate limit. A module that takes their requests applies PartnerKeyMiddleware.
 */
@Module({
  imports: [AuthModule],
  controllers: [PartnerAppsController],
  providers: [PartnerAppsRepository, PartnerAppsService, PartnerKeyMiddleware],
  exports: [PartnerAppsService, PartnerKeyMiddleware],
})
export class PartnerAppsModule {}
