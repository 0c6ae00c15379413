import { Global, Module } from '@nestjs/common';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { PrismaService } from './prisma.service';
import { ReadDatabase } from './read-database';

@Global()
@Module({
  providers: [
    {
      provide: PrismaService,
      inject: [HUB_CONFIG],
      useFactory: (config: HubConfig) => {
        if (!config.env.databaseUrl) throw new Error('DATABASE_URL is not set');
        return new PrismaService(config.env.databaseUrl, {
          preparedStatements: config.env.databasePreparedStatements,
          // DIRECT_DATABASE_URL names the primary when DATABASE_URL is a pooler (docs/deploying.md).
          genericPlans: config.env.directDatabaseUrl === null,
        });
      },
    },
    {
      provide: ReadDatabase,
      inject: [HUB_CONFIG, PrismaService],
      useFactory: (config: HubConfig, primary: PrismaService) =>
        config.env.databaseReadUrl
          ? new ReadDatabase(
              new PrismaService(config.env.databaseReadUrl, {
                preparedStatements: config.env.databasePreparedStatements,
                genericPlans: config.env.directDatabaseUrl === null,
              }),
              true,
            )
          : new ReadDatabase(primary, false),
    },
  ],
  exports: [PrismaService, ReadDatabase],
})
export class DatabaseModule {}
