import { Global, Module } from '@nestjs/common';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { PrismaService } from './prisma.service';

@Global()
@Module({
  providers: [
    {
      provide: PrismaService,
      inject: [HUB_CONFIG],
      useFactory: (config: HubConfig) => {
        if (!config.env.databaseUrl) throw new Error('DATABASE_URL is not set');
        return new PrismaService(config.env.databaseUrl);
      },
    },
  ],
  exports: [PrismaService],
})
export class DatabaseModule {}
