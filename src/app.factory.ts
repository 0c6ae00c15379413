import { Logger } from '@nestjs/common';
import middie from '@fastify/middie';
import { NestFactory } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, servedTools, type AppOptions } from './app.module';
import type { HubConfig } from './platform/config/hub-config';
import { checkRedisRequirements } from './platform/health/redis-requirements';
import { bindRequestLogs, configureHttp, fastifyOptions } from './platform/http/configure-http';
import { setUpOpenApi } from './platform/http/openapi';

/** Builds the hub exactly as production runs it; main.ts and the tests both use this. */
export async function createHubApp(
  config: HubConfig,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  // Refuses a Redis that would lose jobs before anything connects to it.
  const redisWarnings = await checkRedisRequirements(config.env);
  // Nest middleware runs after the body is parsed (as on Express): the partner key may be a
  // form field. The request's logger is bound first, for the middleware and all that follows.
  const adapter = new FastifyAdapter({ ...fastifyOptions(config), skipMiddie: true });
  const fastify = adapter.getInstance<FastifyInstance>();
  bindRequestLogs(fastify);
  await fastify.register(middie, { hook: 'preHandler' });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options),
    adapter,
    { bodyParser: false, bufferLogs: true },
  );
  configureHttp(app);
  const logger = new Logger('Redis');
  for (const warning of redisWarnings) logger.warn(warning);
  if (servedTools(config).docs) setUpOpenApi(app);
  return app;
}
