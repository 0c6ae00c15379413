import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, servedTools, type AppOptions } from './app.module';
import type { HubConfig } from './platform/config/hub-config';
import { checkRedisRequirements } from './platform/health/redis-requirements';
import { configureHttp } from './platform/http/configure-http';
import { setUpOpenApi } from './platform/http/openapi';

/** Builds the hub exactly as production runs it; main.ts and the tests both use this. */
export async function createHubApp(
  config: HubConfig,
  options: AppOptions = {},
): Promise<NestExpressApplication> {
  // Refuses a Redis that would lose jobs before anything connects to it.
  const redisWarnings = await checkRedisRequirements(config.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureHttp(app);
  const logger = new Logger('Redis');
  for (const warning of redisWarnings) logger.warn(warning);
  if (servedTools(config).docs) setUpOpenApi(app);
  return app;
}
