import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module';
import { ConfigModule } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { CryptoModule } from '../platform/crypto/crypto.module';
import { DatabaseModule } from '../platform/database/database.module';
import { migrateHub } from '../platform/database/migrator';
import { loadHubConfig } from '../platform/config/load-config';
import { prepareInfrastructure } from '../platform/dev-stack/dev-stack';
import { MetricsModule } from '../platform/metrics/metrics.module';
import { PartnerAppsModule } from '../partner-apps/partner-apps.module';
import { PortalsModule } from '../portals/portals.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { SlaModule } from '../sla/sla.module';

@Module({})
class CliModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CryptoModule,
        MetricsModule,
        PortalsModule,
        AuthModule,
        PartnerAppsModule,
        SlaModule,
        PrivacyModule,
      ],
    };
  }
}

/** The hub's services without HTTP or queue workers, for one-off operator commands. */
export function cliContext(config: HubConfig): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
}

/**
 * Runs `work` against the hub's database as `npm start` would find it (DATABASE_URL, else the
 * local or embedded PostgreSQL, dev keys from .data/), migrated first.
 */
export async function withHub<T>(
  work: (app: INestApplicationContext, config: HubConfig) => Promise<T>,
): Promise<T> {
  const stack = await prepareInfrastructure(loadHubConfig());
  try {
    if (!stack.config.env.databaseUrl) throw new Error('DATABASE_URL is not set');
    await migrateHub(stack.config.env);
    const app = await cliContext(stack.config);
    try {
      return await work(app, stack.config);
    } finally {
      await app.close();
    }
  } finally {
    await stack.stop();
  }
}
