import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, servedTools, type AppOptions } from './app.module';
import type { HubConfig } from './platform/config/hub-config';
import { configureHttp } from './platform/http/configure-http';
import { setUpOpenApi } from './platform/http/openapi';

/** Builds the hub exactly as production runs it; main.ts and the tests both use this. */
export async function createHubApp(
  config: HubConfig,
  options: AppOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureHttp(app);
  if (servedTools(config).docs) setUpOpenApi(app);
  return app;
}
