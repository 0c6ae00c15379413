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
          genericPlans: connectedDirectly(config),
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
                // The replica may have a pooler of its own (docs/deploying.md), and runs no
                // prepared statement today: nothing is set on its sessions.
                genericPlans: false,
              }),
              true,
            )
          : new ReadDatabase(primary, false),
    },
  ],
  exports: [PrismaService, ReadDatabase],
})
export class DatabaseModule {}

/**
 * Whether DATABASE_URL reaches PostgreSQL without a pooler in between, so that a session `SET`
 * stays the hub's own (decision 0036). Behind PgBouncer, docs/deploying.md has DIRECT_DATABASE_URL
 * name the primary itself, and an old PgBouncer needs DATABASE_PREPARED_STATEMENTS=false: either
 * says there is a pooler.
 */
function connectedDirectly(config: HubConfig): boolean {
  return config.env.directDatabaseUrl === null && config.env.databasePreparedStatements !== false;
}
