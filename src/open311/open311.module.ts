import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ComplaintsModule } from '../complaints/complaints.module';
import { PartnerAppsModule } from '../partner-apps/partner-apps.module';
import { PartnerKeyMiddleware } from '../partner-apps/partner-key.middleware';
import { Open311Controller } from './open311.controller';
import { Open311Repository } from './open311.repository';
import { Open311Service } from './open311.service';
import { placeIndexProvider } from './place-index.provider';

/** The hub as an Open311 GeoReport v2 server (docs/open311.md). */
@Module({
  imports: [ComplaintsModule, PartnerAppsModule, AuthModule],
  controllers: [Open311Controller],
  providers: [Open311Service, Open311Repository, placeIndexProvider],
})
export class Open311Module implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(PartnerKeyMiddleware).forRoutes(Open311Controller);
  }
}
